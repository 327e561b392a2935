package health.vigil.interceptors.consent;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationConstants;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentInterceptor;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentOperationStatusEnum;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentOutcome;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentContextServices;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentService;
import health.vigil.interceptors.api.ConsentStorage;
import java.util.Arrays;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;

/**
 * HAPI's {@link ConsentInterceptor} with consent-aware counts. HAPI refuses {@code _summary=count} and
 * {@code _total=accurate} on any server with consent, because a database count would include what
 * consent hides. Here a request that nothing can be hidden from gets HAPI's count as it is; a request
 * that consent restricts gets the count of the matches it may see ({@link ConsentStorage#countVisible}),
 * which costs a pass over the matches.
 *
 * <p>Runs after SMART authorization (order {@value #ORDER}): a request the token's scopes do not allow
 * is refused for that reason before consent looks at it.
 */
@Interceptor(order = ConsentEnforcementInterceptor.ORDER)
final class ConsentEnforcementInterceptor extends ConsentInterceptor {

    static final int ORDER = AuthorizationConstants.ORDER_AUTH_INTERCEPTOR + 10;

    private final ConsentService service;
    private final ConsentStorage storage;

    ConsentEnforcementInterceptor(PolicyConsentService consentService, ConsentService service, ConsentStorage storage) {
        super(consentService);
        this.service = service;
        this.storage = storage;
    }

    /** As HAPI's, without refusing counts: they are made consent-aware when the response goes out. */
    @Override
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void interceptPreHandled(RequestDetails request) {
        if (Constants.URL_TOKEN_METADATA.equals(request.getRequestPath()) || "$meta".equals(request.getOperation())) {
            return;
        }
        if (request.isSubRequest()
                && RequestConsent.of(request).map(state -> !state.restricted()).orElse(true)) {
            // An entry of a batch or transaction whose outer request was authorized as a whole (its user
            // data, shared by entries on parallel threads, already says so).
            return;
        }
        for (IConsentService consentService : getConsentServices()) {
            ConsentOutcome outcome = consentService.startOperation(request, IConsentContextServices.NULL_IMPL);
            if (outcome.getStatus() == ConsentOperationStatusEnum.AUTHORIZED) {
                authorizeRequest(request);
                return;
            }
        }
    }

    @Override
    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void interceptOutgoingResponse(RequestDetails request, ResponseDetails response) {
        Optional<RequestConsent> state = RequestConsent.of(request).filter(RequestConsent::restricted);
        if (state.isPresent()
                && asks(request, Constants.PARAM_SUMMARY, "count")
                && response.getResponseResource() instanceof Bundle count) {
            setVisibleTotal(count, request, state.get());
            return;
        }
        super.interceptOutgoingResponse(request, response);
        if (state.isPresent()
                && asks(request, Constants.PARAM_SEARCH_TOTAL_MODE, "accurate")
                && response.getResponseResource() instanceof Bundle page) {
            setVisibleTotal(page, request, state.get());
        }
    }

    private void setVisibleTotal(Bundle bundle, RequestDetails request, RequestConsent state) {
        if (request.getRestOperationType() != RestOperationTypeEnum.SEARCH_TYPE || request.getResourceName() == null) {
            // Only type-level searches can be counted again under consent; other totals are left out.
            bundle.setTotalElement(null);
            return;
        }
        long visible = storage.countVisible(
                request, resource -> service.decide(state.requester(), resource).permits());
        bundle.setTotal((int) Math.min(Integer.MAX_VALUE, visible));
    }

    private static boolean asks(RequestDetails request, String parameter, String value) {
        String[] values =
                request.getParameters() == null ? null : request.getParameters().get(parameter);
        return values != null && Arrays.asList(values).contains(value);
    }
}
