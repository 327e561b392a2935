/**
 * Public API of the Vigil {@code smart-apps} module: the only package other modules may use.
 *
 * <p>SMART-on-FHIR web apps (patient dashboard, clinician review), packaged as static assets.
 */
package health.vigil.smartapps.api;
