package health.vigil.ingestion.api;

import org.hl7.fhir.r4.model.Bundle;

/**
 * Turns an uploaded lab report (PDF, PNG, JPEG, TIFF) into the FHIR that stores it: the file as a
 * {@code Binary} and a {@code DocumentReference}, and what it reports as a preliminary {@code
 * DiagnosticReport} with lab {@code Observation}s, a {@code Provenance} naming the engine that read it,
 * and a review {@code Task}. Writes nothing itself: the caller stores {@link DocumentPlan#transaction()}.
 *
 * <p>Ids derive from the file's SHA-256 and the patient, so storing the plan twice changes nothing, and
 * {@link #identify} tells a caller, without reading the file, where an earlier upload of it was stored.
 *
 * <p>Thread-safe. Reading a scanned page takes about a second of CPU (OCR); at most {@code
 * vigil.ingestion.documents.ocr.threads} pages are read at once, later callers wait.
 */
public interface LabReportExtraction {

    /** Where an upload of this file for this patient is (or would be) stored. */
    DocumentIds identify(DocumentUpload upload);

    /**
     * Checks what can be checked without reading the pages (size and type, as {@link #plan} does) and
     * plans storing the file alone: its {@code Binary} and its {@code DocumentReference}, at the ids
     * {@link #plan} uses, so a document can be kept before it is read and read later.
     *
     * @throws FeedException {@code UNSUPPORTED_FORMAT} (415) or {@code PAYLOAD_TOO_LARGE} (413)
     */
    Bundle file(DocumentUpload upload);

    /**
     * Reads the document and plans its storage.
     *
     * @throws FeedException {@code UNSUPPORTED_FORMAT} (415) for other types, {@code PAYLOAD_TOO_LARGE}
     *     (413) above the size, page or pixel limits, {@code ENCRYPTED_DOCUMENT} or {@code
     *     UNREADABLE_DOCUMENT} (422), {@code OCR_UNAVAILABLE} (503) when a page needs OCR this server lacks
     */
    DocumentPlan plan(DocumentUpload upload);
}
