package health.vigil.interceptors.audit;

import health.vigil.interceptors.api.AuditStorage;
import health.vigil.interceptors.api.AuditStorage.ChainHead;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hl7.fhir.r4.model.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit events durably with group commit: callers hand over an event and wait; one writer
 * thread takes every event waiting (up to {@code maxBatch}), chains them after the stored head and
 * stores them in one transaction, then releases all their callers at once. Under load one commit
 * serves many requests, so the cost per request stays small; an idle server commits each event alone,
 * at once.
 *
 * <p>A caller is released only after its event is committed; if the commit fails, every caller of the
 * batch gets the failure (and the batch is stored not at all), so no response is sent whose audit
 * record is not stored.
 */
final class AuditWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);

    private final AuditStorage storage;
    private final AuditChain chain;
    private final int maxBatch;
    private final Duration timeout;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    AuditWriter(AuditStorage storage, AuditChain chain, int maxBatch, Duration timeout) {
        this.storage = storage;
        this.chain = chain;
        this.maxBatch = maxBatch;
        this.timeout = timeout;
        this.thread = new Thread(this::run, "vigil-audit-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Stores the event; returns once it is committed. Throws {@link AuditWriteException} otherwise. */
    void write(AuditEvent event) {
        Pending pending = new Pending(event, new CompletableFuture<>());
        if (!running) {
            throw new AuditWriteException("the audit writer is stopped", null);
        }
        queue.add(pending);
        try {
            pending.done().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditWriteException("interrupted while the audit record was written", e);
        } catch (ExecutionException e) {
            throw new AuditWriteException("the audit record could not be stored", e.getCause());
        } catch (TimeoutException e) {
            throw new AuditWriteException("the audit record was not stored within " + timeout, e);
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Pending> batch) {
        List<AuditEvent> events = batch.stream().map(Pending::event).toList();
        try {
            storage.append(events, this::link);
            batch.forEach(pending -> pending.done().complete(null));
        } catch (RuntimeException | Error e) {
            // Whatever went wrong, the writer lives on for the next batch; these callers answer 503.
            LOG.error("Audit batch of {} events could not be stored", batch.size(), e);
            batch.forEach(pending -> pending.done().completeExceptionally(e));
        }
    }

    private ChainHead link(ChainHead head, List<AuditEvent> events) {
        long sequence = head.sequence();
        String previous = head.hash();
        for (AuditEvent event : events) {
            sequence++;
            event.setId(Long.toString(sequence));
            previous = chain.link(event, sequence, previous);
        }
        return new ChainHead(sequence, previous, head.anchorSequence(), head.anchorHash());
    }

    /** Stores what is waiting, then stops the thread. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Pending(AuditEvent event, CompletableFuture<Void> done) {}

    /** The audit record of a request could not be stored: the request must not be answered as done. */
    static final class AuditWriteException extends RuntimeException {
        AuditWriteException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
