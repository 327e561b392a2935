package health.vigil.ingestion.api;

import java.time.Instant;
import java.util.Objects;

/**
 * An uploaded document.
 *
 * @param content the file as uploaded
 * @param declaredType the content type the client declared, or {@code null}; the type is detected from
 *     the content, and a declared type that disagrees is refused
 * @param title the file's name or a title for it, or {@code null}
 * @param patientId the id of the Patient the document is about ({@code 123}, not {@code Patient/123})
 * @param received when it was received: the DocumentReference's date and the results' issued time
 */
public record DocumentUpload(byte[] content, String declaredType, String title, String patientId, Instant received) {

    public DocumentUpload {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(patientId, "patientId");
        Objects.requireNonNull(received, "received");
    }
}
