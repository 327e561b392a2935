package health.vigil.ingestion.api;

/**
 * Payloads a streaming adapter has received but could not store yet because storage was unavailable.
 * They stay unacknowledged at the broker until stored, so a node that dies loses nothing: the broker
 * delivers them again. A scheduled job calls {@link #retry()}.
 */
public interface PendingFeeds {

    /** How many payloads wait. */
    int pending();

    /**
     * Tries every waiting payload once, oldest first; stops at the first that fails again for the same
     * transient reason.
     *
     * @return how many were settled (stored, or refused for good)
     */
    int retry();
}
