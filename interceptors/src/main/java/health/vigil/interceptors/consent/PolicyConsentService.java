package health.vigil.interceptors.consent;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentOutcome;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentContextServices;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentService;
import health.vigil.interceptors.api.AccessContext;
import health.vigil.interceptors.api.AccessContextResolver;
import health.vigil.interceptors.api.InterceptorErrors;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * HAPI's consent contract over the {@link ConsentService}. At the start of a request it finds the
 * requester (the verified caller and the purpose-of-use header) and whether any consent may hide
 * something from them; if nothing can be hidden the request is authorized as a whole, otherwise every
 * resource the request would reveal is decided on, and hidden ones are left out as if they did not
 * exist.
 */
final class PolicyConsentService implements IConsentService {

    private final ConsentService service;
    private final AccessContextResolver resolver;
    private final PurposeOfUse purposeOfUse;

    PolicyConsentService(ConsentService service, AccessContextResolver resolver, PurposeOfUse purposeOfUse) {
        this.service = service;
        this.resolver = resolver;
        this.purposeOfUse = purposeOfUse;
    }

    @Override
    public ConsentOutcome startOperation(RequestDetails request, IConsentContextServices context) {
        Optional<RequestConsent> outer = RequestConsent.of(request);
        if (request.isSubRequest() && outer.isPresent()) {
            // An entry of a batch or transaction: decided for the outer request's requester. The entries
            // run on parallel threads and share the outer request's user data, so nothing is written.
            if (!outer.get().restricted()) {
                return ConsentOutcome.AUTHORIZED;
            }
            refuseRevealingParameters(request);
            return ConsentOutcome.PROCEED;
        }
        Optional<AccessContext> caller = resolver.resolve(request);
        if (caller.isEmpty()) {
            // No verified caller (open mode): there is no requester to decide for.
            return ConsentOutcome.AUTHORIZED;
        }
        String purpose = purposeOfUse.of(request);
        ConsentRequester requester = service.requester(caller.get(), purpose);
        if (ConsentRequester.BREAK_GLASS_PURPOSE.equals(purpose) && !requester.mayBreakGlass()) {
            throw new ForbiddenOperationException(InterceptorErrors.BREAK_GLASS_NOT_ALLOWED.message(
                    "emergency access (purpose of use ETREAT) needs a role allowed to break the glass"));
        }
        // Break-glass requests are checked resource by resource so that the audit names what they revealed.
        boolean restricted = requester.breaksGlass() || service.mayHide(requester);
        RequestConsent.start(request, requester, restricted);
        if (!restricted) {
            return ConsentOutcome.AUTHORIZED;
        }
        refuseRevealingParameters(request);
        return ConsentOutcome.PROCEED;
    }

    @Override
    public ConsentOutcome canSeeResource(
            RequestDetails request, IBaseResource resource, IConsentContextServices context) {
        return decide(request, resource);
    }

    @Override
    public ConsentOutcome willSeeResource(
            RequestDetails request, IBaseResource resource, IConsentContextServices context) {
        return decide(request, resource);
    }

    private ConsentOutcome decide(RequestDetails request, IBaseResource resource) {
        Optional<RequestConsent> state = RequestConsent.of(request);
        if (state.isEmpty()) {
            return ConsentOutcome.PROCEED;
        }
        ConsentDecision decision = service.decide(state.get().requester(), resource);
        state.get().record(decision);
        if (!decision.permits()) {
            return ConsentOutcome.REJECT;
        }
        // Resources that belong to no patient (a Bundle, Parameters) may hold patients' resources: look inside.
        return decision.basis() == ConsentDecision.Basis.NO_PATIENT
                ? ConsentOutcome.PROCEED
                : ConsentOutcome.AUTHORIZED;
    }

    /**
     * {@code _has} and chained parameters match on other resources, so their results would reveal
     * whether hidden data exists; they are refused while a consent restricts the requester.
     */
    private static void refuseRevealingParameters(RequestDetails request) {
        if (request.getParameters() == null) {
            return;
        }
        for (String name : request.getParameters().keySet()) {
            String base = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
            if (name.startsWith("_has:") || base.contains(".") || name.matches("[^:]+:[A-Z][A-Za-z]*\\..*")) {
                throw new ForbiddenOperationException(InterceptorErrors.CONSENT_SEARCH_PARAMETER_DENIED.message(
                        "the search parameter '" + name + "' is not available while a patient's consent restricts"
                                + " what you may see: its matches could reveal hidden data"));
            }
        }
        if (request.getParameters().containsKey("_filter")) {
            throw new ForbiddenOperationException(InterceptorErrors.CONSENT_SEARCH_PARAMETER_DENIED.message(
                    "_filter is not available while a patient's consent restricts what you may see"));
        }
    }
}
