package health.vigil.ingestion.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import health.vigil.ingestion.api.FeedFormat;
import health.vigil.ingestion.api.FeedMessage;
import health.vigil.ingestion.api.FeedStore;
import health.vigil.ingestion.api.IngestionPlan;
import health.vigil.ingestion.api.IngestionProperties;
import health.vigil.ingestion.api.MeasurementProblem;
import health.vigil.ingestion.api.TransientFeedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The subscriber against the real broker on 127.0.0.1:1883 (Mosquitto; {@code .ci/run} starts it):
 * storing, reports of refused payloads, and messages that met unavailable storage kept unacknowledged,
 * retried, and delivered again by the broker after a restart.
 */
class MqttFeedSubscriberTest {

    private static final String BROKER = "tcp://127.0.0.1:1883";

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String prefix = "vigil-test-" + run + "/ingest";
    private final String errors = "vigil-test-" + run + "/errors";
    private final FakeStore store = new FakeStore();
    private final BlockingQueue<String> reports = new LinkedBlockingQueue<>();
    private MqttClient device;
    private MqttFeedSubscriber subscriber;

    @BeforeEach
    void connect() throws Exception {
        device = new MqttClient(BROKER, "device-" + run, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        device.connect(options);
        device.subscribe(
                errors + "/#",
                1,
                (topic, message) ->
                        reports.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));
        subscriber = subscriber();
        subscriber.start();
    }

    @AfterEach
    void disconnect() throws Exception {
        subscriber.stop();
        // Leave no persistent session behind at the broker.
        MqttClient cleaner = new MqttClient(BROKER, "vigil-" + run, new MemoryPersistence());
        MqttConnectOptions clean = new MqttConnectOptions();
        clean.setCleanSession(true);
        cleaner.connect(clean);
        cleaner.disconnect();
        cleaner.close();
        device.disconnect();
        device.close();
    }

    @Test
    void message_onFormatAndPatientTopic_isStoredWithBoth() throws Exception {
        publish(prefix + "/template-json/Patient/p1", "[1]");

        await(() -> store.received.size() == 1);
        FeedMessage message = store.received.get(0);
        assertThat(message.format()).isEqualTo(FeedFormat.TEMPLATE_JSON);
        assertThat(message.patientId()).isEqualTo("p1");
        assertThat(new String(message.payload(), StandardCharsets.UTF_8)).isEqualTo("[1]");
        assertThat(message.partial()).isFalse();
        assertThat(subscriber.pending()).isZero();
    }

    @Test
    void refusedPayload_isReportedOnTheErrorTopic() throws Exception {
        store.problem = true;

        publish(prefix + "/open-mhealth", "{}");

        String report = reports.poll(10, TimeUnit.SECONDS);
        assertThat(report)
                .startsWith(errors + "/open-mhealth ")
                .contains("\"resourceType\":\"OperationOutcome\"")
                .contains("VGL-1203: record r1: value: impossible");
    }

    @Test
    void unknownFormatTopic_isReportedAndNotStored() throws Exception {
        publish(prefix + "/csv/Patient/p1", "a,b");

        assertThat(reports.poll(10, TimeUnit.SECONDS))
                .startsWith(errors + "/csv/Patient/p1 ")
                .contains("VGL-1202");
        assertThat(store.received).isEmpty();
    }

    @Test
    void unavailableStorage_keepsMessagesInOrderUntilRetried() throws Exception {
        store.available.set(false);

        publish(prefix + "/template-json", "first");
        publish(prefix + "/template-json", "second");
        await(() -> subscriber.pending() == 2);
        assertThat(subscriber.retry()).isZero();

        store.available.set(true);
        assertThat(subscriber.retry()).isEqualTo(2);
        assertThat(subscriber.pending()).isZero();
        assertThat(store.stored).containsExactly("first", "second");
    }

    @Test
    void unacknowledgedMessage_isDeliveredAgainAfterARestart() throws Exception {
        store.available.set(false);
        publish(prefix + "/hl7v2", "MSH|...");
        await(() -> subscriber.pending() == 1);

        subscriber.stop();
        store.available.set(true);
        subscriber = subscriber();
        subscriber.start();

        await(() -> store.stored.contains("MSH|..."));
    }

    private MqttFeedSubscriber subscriber() {
        IngestionProperties.Mqtt settings = new IngestionProperties.Mqtt(
                true, BROKER, "vigil-" + run, prefix, null, errors, false, null, null, Duration.ofSeconds(30));
        return new MqttFeedSubscriber(settings, store, FhirContext.forR4Cached());
    }

    private void publish(String topic, String payload) throws Exception {
        device.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 15 s").isLessThan(until);
            Thread.sleep(20);
        }
    }

    /** Stores nothing; fails transiently while unavailable; refuses everything when asked to. */
    private static final class FakeStore implements FeedStore {
        final List<FeedMessage> received = new CopyOnWriteArrayList<>();
        final List<String> stored = new CopyOnWriteArrayList<>();
        final AtomicBoolean available = new AtomicBoolean(true);
        volatile boolean problem;

        @Override
        public Stored store(FeedMessage message) {
            received.add(message);
            if (!available.get()) {
                throw new TransientFeedException("database down", null);
            }
            List<MeasurementProblem> problems =
                    problem ? List.of(new MeasurementProblem("r1", "value", "impossible")) : List.of();
            stored.add(new String(message.payload(), StandardCharsets.UTF_8));
            return new Stored(new IngestionPlan(message.format(), List.of(), problems, null, 0), !problem);
        }
    }
}
