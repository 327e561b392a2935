/**
 * Public API of the Vigil {@code ingestion} module: the only package other modules may use.
 *
 * <p>Device-feed adapters and document OCR that turn incoming data into coded Observations with provenance.
 */
package health.vigil.ingestion.api;
