package health.vigil.ingestion.api;

/**
 * Turns a device-feed payload into the FHIR it stores: reads it with its format's adapter, resolves
 * each record's patient, maps the records to Observations and builds one transaction with ids derived
 * from content, so storing it twice changes nothing. Writes nothing itself: the caller stores {@link
 * IngestionPlan#transaction()} (when the plan is complete, or when partial ingestion was asked for) or
 * shows it (dry run). Thread-safe.
 */
public interface DeviceIngestion {

    /**
     * Plans the storage of one payload.
     *
     * @throws FeedException {@code MALFORMED_PAYLOAD} when the payload cannot be read at all, {@code
     *     UNSUPPORTED_FORMAT} when no format reads it, {@code INVALID_TEMPLATE} for broken request templates
     */
    IngestionPlan plan(IngestionRequest request, PatientDirectory patients);
}
