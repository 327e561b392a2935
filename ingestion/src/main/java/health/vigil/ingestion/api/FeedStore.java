package health.vigil.ingestion.api;

/**
 * Stores feed payloads that arrive outside HTTP, exactly as {@code $ingest} stores them: the server
 * implements it over its storage. Must be idempotent (it is: ids derive from content), because a
 * streaming adapter delivers at least once.
 */
public interface FeedStore {

    /**
     * Plans and, when the plan allows it, stores one payload.
     *
     * @return the plan and whether its transaction was stored; a plan with rejected records and no
     *     {@code partial} is not stored, and that is final
     * @throws FeedException when the payload cannot be read at all; final, resending will not help
     * @throws TransientFeedException when storage is unavailable for now; the same payload may succeed
     *     later
     */
    Stored store(FeedMessage message);

    /** A stored (or refused) payload's plan. */
    record Stored(IngestionPlan plan, boolean written) {}
}
