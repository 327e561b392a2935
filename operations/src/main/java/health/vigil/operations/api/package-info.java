/**
 * Public API of the Vigil {@code operations} module: the only package other modules may use.
 *
 * <p>Insight and anomaly agents, exposed as FHIR operations and scheduled jobs.
 */
package health.vigil.operations.api;
