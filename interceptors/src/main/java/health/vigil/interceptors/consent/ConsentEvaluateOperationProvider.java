package health.vigil.interceptors.consent;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import health.vigil.interceptors.api.AccessContext;
import health.vigil.interceptors.api.AccessContextResolver;
import health.vigil.interceptors.api.ConsentStorage;
import health.vigil.interceptors.api.InterceptorErrors;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * {@code Consent/$evaluate}: may this actor, with this purpose, see this resource, and which Consent
 * provision says so. For apps that explain a patient's settings and for debugging a policy; the answer
 * is the decision enforcement would make, from the same cached policy.
 *
 * <p>In: {@code resource} ({@code Type/id}, required), {@code actor} (0..*, {@code Type/id}: a
 * Practitioner, PractitionerRole, Organization, RelatedPerson, CareTeam or Patient), {@code client}
 * (an OAuth client id), {@code purpose} (a v3 ActReason code, default TREAT), {@code breakGlass}
 * (whether the actor's role may break the glass, default false). Out: {@code decision}
 * ({@code permit}/{@code deny}), {@code basis}, {@code consent} and {@code provision} when a provision
 * decided, and the resource's {@code patient}s. A caller in a patient context may only ask about that
 * patient's resources.
 */
final class ConsentEvaluateOperationProvider {

    private final ConsentService service;
    private final ConsentStorage storage;
    private final AccessContextResolver resolver;

    ConsentEvaluateOperationProvider(ConsentService service, ConsentStorage storage, AccessContextResolver resolver) {
        this.service = service;
        this.storage = storage;
        this.resolver = resolver;
    }

    @Operation(name = "$evaluate", type = Consent.class, idempotent = true)
    public Parameters evaluate(
            @OperationParam(name = "resource", min = 1, max = 1) StringType resource,
            @OperationParam(name = "actor") List<StringType> actors,
            @OperationParam(name = "client", max = 1) StringType client,
            @OperationParam(name = "purpose", max = 1) CodeType purpose,
            @OperationParam(name = "breakGlass", max = 1) BooleanType breakGlass,
            RequestDetails request) {
        String reference = reference(resource == null ? null : resource.getValue(), "resource");
        Set<String> actorReferences = new LinkedHashSet<>();
        if (actors != null) {
            actors.forEach(actor -> actorReferences.add(reference(actor.getValue(), "actor")));
        }
        String purposeCode = purpose == null || !purpose.hasValue() ? PurposeOfUse.DEFAULT : purpose.getValue();
        if (!PurposeOfUse.CODES.contains(purposeCode)) {
            throw invalid("purpose must be a purpose-of-use code of " + ConsentRequester.PURPOSE_SYSTEM + ", not '"
                    + purposeCode + "'");
        }
        Resource target = storage.read(reference)
                .filter(Resource.class::isInstance)
                .map(Resource.class::cast)
                .orElseThrow(() -> new ResourceNotFoundException(new IdType(reference)));
        List<String> patients = service.patientsOf(target);
        confineToCallersPatient(request, patients, reference);

        ConsentRequester requester = service.requester(
                actorReferences,
                client == null || !client.hasValue() ? "" : client.getValue(),
                "BTG".equals(purposeCode) ? ConsentRequester.BREAK_GLASS_PURPOSE : purposeCode,
                breakGlass != null && breakGlass.booleanValue());
        ConsentDecision decision = service.decide(requester, target);

        Parameters answer = new Parameters();
        answer.addParameter("decision", new CodeType(decision.permits() ? "permit" : "deny"));
        answer.addParameter(
                "basis",
                new CodeType(decision.basis().name().toLowerCase(Locale.ROOT).replace('_', '-')));
        decision.consent()
                .ifPresent(consent -> answer.addParameter().setName("consent").setValue(new Reference(consent)));
        decision.provision().ifPresent(provision -> answer.addParameter("provision", new StringType(provision)));
        patients.forEach(
                patient -> answer.addParameter().setName("patient").setValue(new Reference("Patient/" + patient)));
        return answer;
    }

    private void confineToCallersPatient(RequestDetails request, List<String> patients, String reference) {
        Optional<AccessContext> caller = resolver.resolve(request);
        Optional<String> callersPatient = caller.flatMap(AccessContext::patient)
                .or(() -> caller.flatMap(AccessContext::fhirUser)
                        .filter(fhirUser -> fhirUser.startsWith("Patient/"))
                        .map(fhirUser -> fhirUser.substring("Patient/".length())));
        if (callersPatient.isPresent() && !patients.contains(callersPatient.get())) {
            throw new ForbiddenOperationException(InterceptorErrors.SCOPE_DENIED.message(
                    "in a patient context, Consent/$evaluate answers only about that patient's resources, not "
                            + reference));
        }
    }

    private static String reference(String value, String parameter) {
        if (value == null || !value.matches("[A-Z][A-Za-z]+/[A-Za-z0-9\\-.]{1,64}")) {
            throw invalid(parameter + " must be a reference Type/id, not '" + value + "'");
        }
        return value;
    }

    private static InvalidRequestException invalid(String detail) {
        return new InvalidRequestException(InterceptorErrors.INVALID_CONSENT_EVALUATION.message(detail));
    }
}
