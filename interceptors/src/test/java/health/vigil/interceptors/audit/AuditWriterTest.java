package health.vigil.interceptors.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import health.vigil.interceptors.api.AuditStorage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.Test;

class AuditWriterTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void write_concurrentCallers_shareCommits_andGetOneGaplessChain() throws Exception {
        RecordingStorage storage = new RecordingStorage();
        storage.slowCommit = new CountDownLatch(1);
        try (AuditWriter writer = new AuditWriter(storage, new AuditChain(FHIR), 256, Duration.ofSeconds(10))) {
            ExecutorService callers = Executors.newFixedThreadPool(8);
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                writes.add(callers.submit(() -> writer.write(event())));
            }
            // The first commit is held until every caller waits: the rest must go in few commits.
            Thread.sleep(300);
            storage.slowCommit.countDown();
            for (Future<?> write : writes) {
                write.get(10, TimeUnit.SECONDS);
            }
            callers.shutdown();
        }
        assertThat(storage.stored).hasSize(40);
        assertThat(storage.commits.size()).as("group commit").isLessThan(10);
        assertThat(new AuditChain(FHIR).verify(storage.stored).intact()).isTrue();
    }

    @Test
    void write_storageFails_callerGetsTheFailure_andTheWriterGoesOn() {
        RecordingStorage storage = new RecordingStorage();
        try (AuditWriter writer = new AuditWriter(storage, new AuditChain(FHIR), 256, Duration.ofSeconds(5))) {
            storage.failure = new AssertionError("the database refused");
            assertThatThrownBy(() -> writer.write(event())).isInstanceOf(AuditWriter.AuditWriteException.class);
            storage.failure = null;
            writer.write(event());
        }
        assertThat(storage.stored).hasSize(1);
        assertThat(storage.stored.get(0).getIdElement().getIdPart())
                .as("a failed batch takes no sequence numbers")
                .isEqualTo("1");
    }

    private static AuditEvent event() {
        AuditEvent event = new AuditEvent();
        event.setRecorded(java.util.Date.from(Instant.now()));
        event.setOutcome(AuditEvent.AuditEventOutcome._0);
        return event;
    }

    /** Keeps what was appended, in order, with the head an in-memory chain row would hold. */
    private static final class RecordingStorage implements AuditStorage {
        final List<AuditEvent> stored = new CopyOnWriteArrayList<>();
        final List<Integer> commits = new CopyOnWriteArrayList<>();
        volatile CountDownLatch slowCommit;
        volatile Error failure;
        private ChainHead head = new ChainHead(0, AuditChain.GENESIS, 0, AuditChain.GENESIS);

        @Override
        public synchronized void append(
                List<AuditEvent> events, BiFunction<ChainHead, List<AuditEvent>, ChainHead> link) {
            if (failure != null) {
                throw failure;
            }
            ChainHead next = link.apply(head, events);
            CountDownLatch latch = slowCommit;
            if (latch != null) {
                try {
                    latch.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            stored.addAll(events);
            commits.add(events.size());
            head = next;
        }

        @Override
        public ChainHead head() {
            return head;
        }

        @Override
        public List<AuditEvent> read(long from, int count) {
            return List.of();
        }

        @Override
        public Optional<AuditEvent> read(String id) {
            return Optional.empty();
        }

        @Override
        public List<AuditEvent> search(AuditQuery query, int offset, int count) {
            return List.of();
        }

        @Override
        public long count(AuditQuery query) {
            return 0;
        }

        @Override
        public long removeRecordedBefore(Instant cutoff) {
            return 0;
        }
    }
}
