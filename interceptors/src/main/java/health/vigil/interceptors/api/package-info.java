/**
 * Public API of the Vigil {@code interceptors} module: the only package other modules may use.
 *
 * <p>Consent enforcement, audit and SMART scope authorization as HAPI interceptors over plain services.
 */
package health.vigil.interceptors.api;
