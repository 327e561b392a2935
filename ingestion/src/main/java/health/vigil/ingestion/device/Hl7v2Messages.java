package health.vigil.ingestion.device;

import health.vigil.ingestion.api.FeedException;
import health.vigil.ingestion.api.IngestionErrors;
import java.io.IOException;
import java.io.Reader;
import java.util.Optional;
import java.util.Set;

/**
 * Splits an HL7 v2 stream into messages, one at a time: segments end at {@code \r}, {@code \n} or
 * {@code \r\n}, MLLP's framing characters (VT before a message, FS CR after it) end segments too, and
 * every {@code MSH} starts a new message. Batch envelopes ({@code FHS}, {@code BHS}, {@code BTS},
 * {@code FTS}) are dropped. Not thread-safe: one per payload.
 */
final class Hl7v2Messages {

    private static final char MLLP_START = '\u000b';
    private static final char MLLP_END = '\u001c';
    private static final Set<String> ENVELOPE = Set.of("FHS", "BHS", "BTS", "FTS");

    private final Reader in;
    private String pendingHeader;
    private boolean started;
    private int count;

    Hl7v2Messages(Reader in) {
        this.in = in;
    }

    /** The next message, its segments joined by {@code \r}; empty at the end of the stream. */
    Optional<String> next() throws IOException {
        StringBuilder message = new StringBuilder();
        if (pendingHeader != null) {
            message.append(pendingHeader);
            pendingHeader = null;
        }
        for (String segment = segment(); segment != null; segment = segment()) {
            if (ENVELOPE.contains(tag(segment))) {
                continue;
            }
            if (segment.startsWith("MSH")) {
                started = true;
                if (!message.isEmpty()) {
                    pendingHeader = segment;
                    count++;
                    return Optional.of(message.toString());
                }
            } else if (!started) {
                throw new FeedException(
                        IngestionErrors.MALFORMED_PAYLOAD,
                        "the payload is not HL7 v2: it starts with '" + abbreviated(segment)
                                + "' where an MSH segment must be");
            } else {
                message.append('\r');
            }
            message.append(segment);
        }
        if (message.isEmpty()) {
            if (count == 0) {
                throw new FeedException(IngestionErrors.MALFORMED_PAYLOAD, "the payload holds no HL7 v2 message");
            }
            return Optional.empty();
        }
        count++;
        return Optional.of(message.toString());
    }

    /** The next non-blank segment, without its terminator; {@code null} at the end of the stream. */
    private String segment() throws IOException {
        StringBuilder segment = new StringBuilder();
        for (int read = in.read(); read != -1; read = in.read()) {
            char c = (char) read;
            if (c == '\r' || c == '\n' || c == MLLP_START || c == MLLP_END) {
                if (!segment.toString().isBlank()) {
                    return segment.toString().stripLeading();
                }
                segment.setLength(0);
            } else {
                segment.append(c);
            }
        }
        return segment.toString().isBlank() ? null : segment.toString().stripLeading();
    }

    private static String tag(String segment) {
        return segment.length() >= 3 ? segment.substring(0, 3) : segment;
    }

    private static String abbreviated(String segment) {
        return segment.length() > 20 ? segment.substring(0, 20) + "..." : segment;
    }
}
