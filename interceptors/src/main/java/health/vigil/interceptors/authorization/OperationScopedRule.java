package health.vigil.interceptors.authorization;

import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationFlagsEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor.Verdict;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IRuleApplier;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * A HAPI rule that only speaks for some REST operations. HAPI's {@code read()} rules cover read, vread,
 * search and history alike; SMART tells {@code r} from {@code s}, so each permission's rule is limited
 * to the operations that permission stands for. For any other operation this rule abstains.
 */
final class OperationScopedRule implements IAuthRule {

    private final IAuthRule delegate;
    private final Set<RestOperationTypeEnum> operations;

    OperationScopedRule(IAuthRule delegate, Set<RestOperationTypeEnum> operations) {
        this.delegate = delegate;
        this.operations = Set.copyOf(operations);
    }

    @Override
    public Verdict applyRule(
            RestOperationTypeEnum operation,
            RequestDetails request,
            IBaseResource inputResource,
            IIdType inputResourceId,
            IBaseResource outputResource,
            IRuleApplier ruleApplier,
            Set<AuthorizationFlagsEnum> flags,
            Pointcut pointcut) {
        if (!operations.contains(operation)) {
            return null;
        }
        // HAPI's compartment rules cannot judge an instance-history request before it runs (they know no
        // type for it) and would refuse it; judged as the read it is, it passes on to the outgoing check
        // of every version returned.
        RestOperationTypeEnum judgedAs = operation == RestOperationTypeEnum.HISTORY_INSTANCE && outputResource == null
                ? RestOperationTypeEnum.READ
                : operation;
        // HAPI keeps a request's rule list in its user data, which the entries of a batch share while
        // HAPI runs them on parallel threads; a compartment rule fills an internal HashMap lazily and is
        // not safe to apply concurrently (a ConcurrentModificationException failed a batch entry).
        synchronized (delegate) {
            return delegate.applyRule(
                    judgedAs, request, inputResource, inputResourceId, outputResource, ruleApplier, flags, pointcut);
        }
    }

    @Override
    public String getName() {
        return delegate.getName();
    }

    @Override
    public String toString() {
        return delegate + " for " + operations;
    }
}
