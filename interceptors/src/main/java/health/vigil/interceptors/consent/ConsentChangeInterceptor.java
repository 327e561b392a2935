package health.vigil.interceptors.consent;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Consent;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Drops cached consent decisions when what they rest on is written: a Consent (its patient's entry),
 * or a resource that affiliates users with roles, organizations and care teams. Registered on the
 * storage interceptor service, so every write path (REST, transactions, operations) is seen. The
 * entry is dropped inside the transaction and again after it commits, so no request can cache the old
 * state in between.
 */
@Interceptor(order = 0)
final class ConsentChangeInterceptor {

    private static final Set<String> AFFILIATING =
            Set.of("PractitionerRole", "CareTeam", "Practitioner", "RelatedPerson");

    private final ConsentService service;

    ConsentChangeInterceptor(ConsentService service) {
        this.service = service;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        changed(resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource) {
        changed(previous);
        changed(resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        changed(resource);
    }

    private void changed(IBaseResource resource) {
        if (resource instanceof Consent consent) {
            Optional<String> patient = Optional.ofNullable(
                    consent.getPatient().getReferenceElement().getIdPart());
            afterCommitToo(() -> service.consentChanged(patient));
        } else if (resource != null && AFFILIATING.contains(resource.fhirType())) {
            afterCommitToo(service::affiliationsChanged);
        }
    }

    private static void afterCommitToo(Runnable invalidate) {
        invalidate.run();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    invalidate.run();
                }
            });
        }
    }
}
