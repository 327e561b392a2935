/**
 * Public API of the Vigil {@code terminology} module: the only package other modules may use.
 *
 * <p>Code systems, value sets, concept maps, UCUM units and the analyte catalogue.
 */
package health.vigil.terminology.api;
