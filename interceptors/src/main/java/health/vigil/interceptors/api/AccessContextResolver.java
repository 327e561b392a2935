package health.vigil.interceptors.api;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.Optional;

/**
 * Tells the authorization interceptors who made a request. The server implements it from its
 * authentication layer (the verified bearer token); a bean of this type switches SMART scope
 * authorization on.
 *
 * <p>Called once or a few times per request, on the request's thread; it must be cheap (read what the
 * authentication layer already verified, never call the identity provider).
 */
@FunctionalInterface
public interface AccessContextResolver {

    /**
     * The caller of this request, or empty when the request carries no verified token. An empty result
     * authorizes nothing: every interaction but {@code metadata} is refused.
     */
    Optional<AccessContext> resolve(RequestDetails request);
}
