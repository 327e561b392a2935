/**
 * Public API of the Vigil {@code interceptors} module: the only package other modules may use.
 *
 * <p>Consent enforcement, audit and SMART scope authorization as HAPI interceptors over plain services.
 * The server supplies who is calling ({@link health.vigil.interceptors.api.AccessContextResolver}); the
 * module contributes its interceptors to HAPI's {@code RestfulServer} through
 * {@link health.vigil.interceptors.api.RestfulServerCustomizer} beans.
 */
package health.vigil.interceptors.api;
