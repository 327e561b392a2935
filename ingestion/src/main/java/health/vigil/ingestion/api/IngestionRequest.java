package health.vigil.ingestion.api;

import java.util.Objects;

/**
 * One payload to ingest.
 *
 * @param payload the bytes as the feed sent them
 * @param contentType the payload's media type ({@code application/json}, {@code application/zip}, ...),
 *     parameters such as {@code charset} allowed; used to choose the format when {@code format} is null
 * @param format the format to read the payload as; {@code null} to choose it from the content type (and,
 *     for JSON, from whether it is Open mHealth)
 * @param patientId the FHIR id of the patient every record is about ({@code Patient/{id}/$ingest});
 *     {@code null} to take each record's patient from the feed or from its device's link
 * @param templates device templates for this payload only (a template file's bytes, e.g. from a FHIR
 *     {@code Binary}), tried before the configured ones; {@code null} for none
 * @param templatesOrigin where {@code templates} came from, for error messages ({@code Binary/acme})
 * @param fhirBase the server's base URL for the transaction's {@code fullUrl}s
 */
public record IngestionRequest(
        byte[] payload,
        String contentType,
        FeedFormat format,
        String patientId,
        byte[] templates,
        String templatesOrigin,
        String fhirBase) {

    public IngestionRequest {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(fhirBase, "fhirBase");
    }
}
