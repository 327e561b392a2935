package health.vigil.interceptors.authorization;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import health.vigil.interceptors.api.AccessContextResolver;
import java.util.Optional;

/** The caller's {@link AccessGrants} for a request, worked out once per request and kept with it. */
final class CallerAccess {

    private static final String KEY = CallerAccess.class.getName();

    private final AccessContextResolver resolver;
    private final ScopeParser parser;

    CallerAccess(AccessContextResolver resolver, ScopeParser parser) {
        this.resolver = resolver;
        this.parser = parser;
    }

    /** The grants of the request's caller; empty grants when the request has no verified caller. */
    @SuppressWarnings("unchecked")
    Optional<AccessGrants> of(RequestDetails request) {
        Object known = request.getUserData().get(KEY);
        if (known != null) {
            return (Optional<AccessGrants>) known;
        }
        Optional<AccessGrants> grants = resolver.resolve(request).map(caller -> AccessGrants.of(caller, parser));
        request.getUserData().put(KEY, grants);
        return grants;
    }
}
