package health.vigil.interceptors.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.hl7.fhir.r4.model.AuditEvent;

/**
 * Where the audit trail is kept. The server implements it over its database; a bean of this type
 * switches auditing on.
 *
 * <p>The trail is append-only: there is no method to change or remove a single event. Events are
 * numbered by a sequence without gaps and hash-chained by the audit module; {@link #append} stores a
 * batch after the current newest event atomically, so concurrent servers sharing one database keep one
 * chain.
 */
public interface AuditStorage {

    /**
     * The policy the requesting agent of an emergency-access (break-glass) event acts under
     * ({@code AuditEvent.agent.policy}); storage indexes it for {@code AuditEvent?policy=}.
     */
    String BREAK_GLASS_POLICY = "https://vigil.health/fhir/policy/break-glass";

    /**
     * In one transaction: locks the chain head, lets {@code link} number and chain the events after it
     * (it returns the new head), stores the events and the new head, and commits. Returns once the
     * events are durable; throws if they could not be stored (then none of them is).
     */
    void append(List<AuditEvent> events, BiFunction<ChainHead, List<AuditEvent>, ChainHead> link);

    /** The newest event's place in the chain, and where the retained part of the chain starts. */
    ChainHead head();

    /** Up to {@code count} events in sequence order, from sequence {@code from} on. */
    List<AuditEvent> read(long from, int count);

    /** The event with this id, if it is stored. */
    Optional<AuditEvent> read(String id);

    /**
     * Events matching a query, newest first.
     *
     * @param query what to match; empty criteria match everything
     * @param offset how many matches to skip
     * @param count the most to return
     */
    List<AuditEvent> search(AuditQuery query, int offset, int count);

    /** How many events match a query. */
    long count(AuditQuery query);

    /**
     * Removes the events recorded before {@code cutoff}, oldest first, and moves the chain's anchor to
     * the last one removed, so the retained chain still verifies. Returns how many were removed.
     */
    long removeRecordedBefore(Instant cutoff);

    /**
     * The chain's state.
     *
     * @param sequence the newest event's sequence number (0 when the trail is empty)
     * @param hash the newest event's hash
     * @param anchorSequence the sequence of the last event removed by retention (0 if none)
     * @param anchorHash that event's hash: the predecessor hash of the oldest retained event
     */
    record ChainHead(long sequence, String hash, long anchorSequence, String anchorHash) {}

    /**
     * Search criteria over the trail; each present criterion must match.
     *
     * @param id an event id
     * @param patient a patient id the event is about
     * @param agent an agent: {@code Type/id} of a user, or a client id
     * @param outcome an outcome code ({@code 0}, {@code 4}, {@code 8}, {@code 12})
     * @param subtype a FHIR interaction code ({@code read}, {@code search-type}, ...)
     * @param breakGlass only events of emergency access
     * @param from recorded at or after
     * @param to recorded before
     */
    record AuditQuery(
            Optional<String> id,
            Optional<String> patient,
            Optional<String> agent,
            Optional<String> outcome,
            Optional<String> subtype,
            boolean breakGlass,
            Optional<Instant> from,
            Optional<Instant> to) {

        public static AuditQuery all() {
            return new AuditQuery(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    false,
                    Optional.empty(),
                    Optional.empty());
        }
    }
}
