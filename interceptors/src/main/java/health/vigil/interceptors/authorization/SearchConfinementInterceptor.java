package health.vigil.interceptors.authorization;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationConstants;
import health.vigil.interceptors.api.InterceptorErrors;
import health.vigil.interceptors.authorization.SmartScope.Filter;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Before a search runs: refuses parameters that reach data the token may not search, and adds the
 * token's granular filter to it ({@link SearchConfinement}).
 */
@Interceptor(order = SearchConfinementInterceptor.ORDER)
final class SearchConfinementInterceptor {

    /** Before HAPI's authorization (and Vigil's search narrowing, which adds parameters of its own). */
    static final int ORDER = AuthorizationConstants.ORDER_AUTH_INTERCEPTOR - 20;

    private final CallerAccess callerAccess;
    private final SearchConfinement confinement;

    SearchConfinementInterceptor(CallerAccess callerAccess, SearchConfinement confinement) {
        this.callerAccess = callerAccess;
        this.confinement = confinement;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public void beforeSearch(RequestDetails request) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        if (operation != RestOperationTypeEnum.SEARCH_TYPE && operation != RestOperationTypeEnum.SEARCH_SYSTEM) {
            return;
        }
        Optional<AccessGrants> access = callerAccess.of(request);
        if (access.isEmpty()) {
            return;
        }
        if (operation == RestOperationTypeEnum.SEARCH_SYSTEM) {
            if (confinement.compartment(access.get(), Optional.empty()).isPresent()) {
                throw SmartAuthorizationInterceptor.insufficientScope(InterceptorErrors.SEARCH_NOT_CONFINABLE.message(
                        "a search across all resource types cannot be confined to the token's patient"));
            }
            return;
        }
        String type = request.getResourceName();
        confinement
                .deniedParameter(access.get(), type, request.getParameters().keySet())
                .ifPresent(denied -> {
                    throw SmartAuthorizationInterceptor.insufficientScope(
                            InterceptorErrors.SEARCH_PARAMETER_DENIED.message(
                                    "the access token's scopes do not permit this search: " + denied));
                });
        confinement.filter(access.get(), type).ifPresent(filter -> addParameter(request, filter));
    }

    /** One more and-ed parameter: it can only narrow the search. */
    private static void addParameter(RequestDetails request, Filter filter) {
        Map<String, String[]> parameters = new HashMap<>(request.getParameters());
        String[] existing = parameters.getOrDefault(filter.name(), new String[0]);
        String[] values = new String[existing.length + 1];
        System.arraycopy(existing, 0, values, 0, existing.length);
        values[existing.length] = filter.value();
        parameters.put(filter.name(), values);
        request.setParameters(parameters);
    }
}
