package health.vigil.interceptors.api;

import ca.uhn.fhir.rest.server.RestfulServer;

/**
 * Contributes to HAPI's {@link RestfulServer} (interceptors, providers) before it starts serving. The
 * server applies every bean of this type once, at start; interceptors carry their own
 * {@code @Interceptor(order = ...)}, so the order of customizers does not matter.
 */
@FunctionalInterface
public interface RestfulServerCustomizer {

    void customize(RestfulServer server);
}
