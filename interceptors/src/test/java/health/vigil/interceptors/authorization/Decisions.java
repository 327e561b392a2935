package health.vigil.interceptors.authorization;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import health.vigil.interceptors.api.AccessContext;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;

/**
 * Runs HAPI's rule evaluation for a token's scopes on one interaction, without a server: what HAPI's
 * {@code AuthorizationInterceptor} decides on the way in (before the request runs) and on the way out
 * (for each resource returned).
 */
final class Decisions {

    static final FhirContext FHIR = FhirContext.forR4Cached();

    private static final RestfulServer SERVER = new RestfulServer(FHIR);

    private final List<IAuthRule> rules;

    private Decisions(List<IAuthRule> rules) {
        this.rules = rules;
    }

    static Decisions forToken(String patient, String fhirUser, String... scopes) {
        AccessContext caller = new AccessContext(
                "sub", "client", Set.of(scopes), Optional.ofNullable(patient), Optional.ofNullable(fhirUser));
        AccessGrants grants = AccessGrants.of(caller, new ScopeParser(FHIR));
        return new Decisions(new AuthorizationRules(FHIR).rulesFor(grants));
    }

    /** The decision on the way in; {@code id} like {@code Observation/o1}, or a type for type-level calls. */
    PolicyEnum incoming(RestOperationTypeEnum operation, String id, IBaseResource body, String... parameters) {
        SystemRequestDetails request = request(operation, id, parameters);
        IdType inputId = id.contains("/") ? new IdType(id) : new IdType(id, (String) null);
        return applier()
                .applyRulesAndReturnDecision(
                        operation, request, body, inputId, null, Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
                .getDecision();
    }

    /** The decision on the way in for an extended operation, e.g. {@code $everything} on {@code Patient/p1}. */
    PolicyEnum operation(RestOperationTypeEnum operation, String id, String name) {
        SystemRequestDetails request = request(operation, id);
        request.setOperation(name);
        IdType inputId = id.contains("/") ? new IdType(id) : null;
        return applier()
                .applyRulesAndReturnDecision(
                        operation, request, null, inputId, null, Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
                .getDecision();
    }

    /** The decision on a resource the interaction returns. */
    PolicyEnum outgoing(RestOperationTypeEnum operation, String requestPath, IBaseResource returned) {
        SystemRequestDetails request = request(operation, requestPath);
        return applier()
                .applyRulesAndReturnDecision(
                        operation, request, null, null, returned, Pointcut.STORAGE_PRESHOW_RESOURCES)
                .getDecision();
    }

    /** The decision when a resource is about to be stored (create, update, delete; also in transactions). */
    PolicyEnum storing(RestOperationTypeEnum operation, IBaseResource resource) {
        SystemRequestDetails request =
                request(operation, resource.getIdElement().getResourceType());
        Pointcut pointcut =
                switch (operation) {
                    case CREATE -> Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED;
                    case DELETE -> Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED;
                    default -> Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED;
                };
        return applier()
                .applyRulesAndReturnDecision(operation, request, resource, resource.getIdElement(), null, pointcut)
                .getDecision();
    }

    private AuthorizationInterceptor applier() {
        return new AuthorizationInterceptor(PolicyEnum.DENY) {
            @Override
            public List<IAuthRule> buildRuleList(ca.uhn.fhir.rest.api.server.RequestDetails request) {
                return rules;
            }
        };
    }

    private static SystemRequestDetails request(RestOperationTypeEnum operation, String path, String... parameters) {
        SystemRequestDetails request = new SystemRequestDetails();
        request.setFhirContext(FHIR);
        // Type-level operation rules resolve their resource classes with the server's context.
        request.setServer(SERVER);
        request.setRestOperationType(operation);
        String type = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
        request.setResourceName(type.isEmpty() ? null : type);
        if (path.contains("/")) {
            request.setId(new IdType(path));
        }
        Map<String, String[]> params = new HashMap<>();
        Arrays.stream(parameters).forEach(pair -> {
            String[] parts = pair.split("=", 2);
            params.merge(parts[0], new String[] {parts[1]}, (a, b) -> {
                String[] both = Arrays.copyOf(a, a.length + b.length);
                System.arraycopy(b, 0, both, a.length, b.length);
                return both;
            });
        });
        request.setParameters(params);
        return request;
    }
}
