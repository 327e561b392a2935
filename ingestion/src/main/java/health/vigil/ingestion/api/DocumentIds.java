package health.vigil.ingestion.api;

/**
 * The ids an upload is stored under, derived from the file's SHA-256 and the patient.
 *
 * @param sha256 the file's SHA-256, hex; the DocumentReference's identifier
 * @param documentReference the DocumentReference's id; its Binary has the same id
 * @param diagnosticReport the DiagnosticReport's id
 * @param task the review Task's id
 */
public record DocumentIds(String sha256, String documentReference, String diagnosticReport, String task) {

    /**
     * The identifier system of the review Tasks of read documents, the value the DiagnosticReport's id:
     * what marks a Task whose completion confirms the results it lists.
     */
    public static final String REVIEW_TASK_SYSTEM = "https://vigil.health/fhir/sid/lab-report-review";

    /**
     * The identifier system of the Tasks that track reading a document kept to be read later, the value
     * the DocumentReference's id.
     */
    public static final String EXTRACTION_TASK_SYSTEM = "https://vigil.health/fhir/sid/lab-report-extraction";

    /** The id of the Task tracking the reading of a document read after its upload was answered. */
    public String extractionTask() {
        return documentReference + "-extraction";
    }
}
