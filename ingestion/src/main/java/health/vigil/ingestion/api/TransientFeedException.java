package health.vigil.ingestion.api;

/** Storage could not take a payload for now (database unreachable, a lock timed out): try again later. */
public final class TransientFeedException extends RuntimeException {

    public TransientFeedException(String message, Throwable cause) {
        super(message, cause);
    }
}
