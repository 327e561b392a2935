package health.vigil.interceptors.authorization;

import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationConstants;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import health.vigil.interceptors.api.InterceptorErrors;
import java.util.List;
import java.util.Objects;

/**
 * HAPI's {@link AuthorizationInterceptor} fed with the rules of the caller's SMART scopes
 * ({@link AuthorizationRules}). It judges every interaction on its way in and every resource on its way
 * out (search results, included resources, operation results, transaction entries) and refuses with 403
 * whatever no rule allows. A request with no verified caller gets only {@code metadata}.
 */
@Interceptor(order = AuthorizationConstants.ORDER_AUTH_INTERCEPTOR)
final class SmartAuthorizationInterceptor extends AuthorizationInterceptor {

    private final CallerAccess callerAccess;
    private final AuthorizationRules rules;

    SmartAuthorizationInterceptor(CallerAccess callerAccess, AuthorizationRules rules) {
        super(PolicyEnum.DENY);
        this.callerAccess = callerAccess;
        this.rules = rules;
    }

    @Override
    public List<IAuthRule> buildRuleList(RequestDetails request) {
        return callerAccess.of(request).map(rules::rulesFor).orElseGet(rules::anonymousRules);
    }

    @Override
    protected void handleDeny(RequestDetails request, Verdict decision) {
        String what = request.getRestOperationType() == null
                ? "request"
                : request.getRestOperationType().getCode();
        String on = Objects.toString(request.getResourceName(), "the server");
        throw insufficientScope(InterceptorErrors.SCOPE_DENIED.message(
                "the access token's scopes do not permit this " + what + " on " + on + " or a resource it touches"));
    }

    /** 403 with the RFC 6750 challenge a client can act on: ask for a token with more scopes. */
    static ForbiddenOperationException insufficientScope(String message) {
        ForbiddenOperationException denied = new ForbiddenOperationException(message);
        denied.addResponseHeader(
                "WWW-Authenticate",
                "Bearer realm=\"vigil\", error=\"insufficient_scope\", error_description=\""
                        + message.replace("\"", "'") + "\"");
        return denied;
    }
}
