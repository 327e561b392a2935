package health.vigil.ingestion.api;

import java.util.Objects;

/**
 * A payload that arrived outside an HTTP request (an MQTT message), to be stored as {@code $ingest}
 * would store it.
 *
 * @param payload the bytes as they arrived
 * @param format the format, known from where it arrived (the topic)
 * @param patientId the patient every record is about; {@code null} to take each record's from the feed
 * @param partial whether to store the valid records when some are rejected
 */
public record FeedMessage(byte[] payload, FeedFormat format, String patientId, boolean partial) {

    public FeedMessage {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(format, "format");
    }
}
