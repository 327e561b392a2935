package health.vigil.ingestion.api;

import java.util.Objects;

/**
 * A payload or document that cannot be read at all, as opposed to single records that cannot be stored
 * (those are {@link MeasurementProblem}s). The message starts with the error's stable code.
 */
public final class FeedException extends RuntimeException {

    private final IngestionErrors error;

    public FeedException(IngestionErrors error, String detail) {
        this(error, detail, null);
    }

    public FeedException(IngestionErrors error, String detail, Throwable cause) {
        super(Objects.requireNonNull(error, "error").message(detail), cause);
        this.error = error;
    }

    /** Which error it is: {@link IngestionErrors#MALFORMED_PAYLOAD}, {@link IngestionErrors#UNSUPPORTED_FORMAT}, ... */
    public IngestionErrors error() {
        return error;
    }
}
