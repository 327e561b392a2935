package health.vigil.ingestion.mqtt;

import ca.uhn.fhir.context.FhirContext;
import health.vigil.ingestion.api.FeedException;
import health.vigil.ingestion.api.FeedFormat;
import health.vigil.ingestion.api.FeedMessage;
import health.vigil.ingestion.api.FeedStore;
import health.vigil.ingestion.api.IngestionErrors;
import health.vigil.ingestion.api.IngestionProperties;
import health.vigil.ingestion.api.PendingFeeds;
import health.vigil.ingestion.api.TransientFeedException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Subscribes to device-feed topics and stores each payload through the {@link FeedStore}, with QoS 1,
 * a persistent session and manual acknowledgement: a message is acknowledged only once it is stored
 * or refused for good, so the broker delivers it again after a crash (at least once), and the ids
 * derived from content make a second delivery change nothing (exactly once in effect).
 *
 * <p>While storage is unavailable, messages wait here, unacknowledged, in arrival order, and {@link
 * #retry()} (a scheduled job) tries them again. A refused payload is acknowledged and its report
 * published to the error topic. Logs name topics and counts, never payloads.
 */
final class MqttFeedSubscriber implements PendingFeeds, SmartLifecycle, MqttCallbackExtended {

    private static final Logger LOG = LoggerFactory.getLogger(MqttFeedSubscriber.class);
    private static final Pattern PATIENT_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private final IngestionProperties.Mqtt settings;
    private final FeedStore store;
    private final FhirContext fhirContext;
    private final Pattern topics;
    private final Object lock = new Object();
    private final Deque<Received> waiting = new ArrayDeque<>();
    private MqttAsyncClient client;

    MqttFeedSubscriber(IngestionProperties.Mqtt settings, FeedStore store, FhirContext fhirContext) {
        this.settings = settings;
        this.store = store;
        this.fhirContext = fhirContext;
        this.topics = Pattern.compile(Pattern.quote(settings.topicPrefix()) + "/([^/]+)(?:/Patient/([^/]+))?");
    }

    /** One message as it arrived, kept until settled. */
    private record Received(String topic, int id, int qos, byte[] payload) {}

    @Override
    public void start() {
        try {
            client = new MqttAsyncClient(settings.brokerUrl(), settings.clientId(), new MemoryPersistence());
            client.setCallback(this);
            client.setManualAcks(true);
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(false);
            options.setAutomaticReconnect(true);
            options.setMaxInflight(1000);
            if (settings.username() != null) {
                options.setUserName(settings.username());
                options.setPassword(
                        settings.password() == null
                                ? new char[0]
                                : settings.password().toCharArray());
            }
            client.connect(options).waitForCompletion(10_000);
            // Subscribed before start returns, so nothing published after start is missed.
            client.subscribe(filter(), 1).waitForCompletion(10_000);
            LOG.info("MQTT ingestion subscribed to {} at {}", filter(), settings.brokerUrl());
        } catch (MqttException e) {
            throw new IllegalStateException(
                    "vigil.ingestion.mqtt: cannot connect to " + settings.brokerUrl() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
        if (!reconnect) {
            return;
        }
        try {
            client.subscribe(filter(), 1);
            LOG.info("MQTT ingestion reconnected to {} and subscribed to {}", serverUri, filter());
        } catch (MqttException e) {
            LOG.error("MQTT ingestion cannot subscribe to {}: {}", filter(), e.getMessage());
        }
    }

    private String filter() {
        String filter = settings.topicPrefix() + "/#";
        return settings.sharedGroup() == null || settings.sharedGroup().isBlank()
                ? filter
                : "$share/" + settings.sharedGroup() + "/" + filter;
    }

    @Override
    public void connectionLost(Throwable cause) {
        synchronized (lock) {
            // Unacknowledged messages of the lost connection come again from the broker on reconnect.
            int dropped = waiting.size();
            waiting.clear();
            LOG.warn(
                    "MQTT ingestion lost its connection ({}); {} waiting messages will be delivered again",
                    cause == null ? "closed" : cause.getMessage(),
                    dropped);
        }
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        Received received = new Received(topic, message.getId(), message.getQos(), message.getPayload());
        synchronized (lock) {
            if (!waiting.isEmpty() || !settle(received)) {
                waiting.addLast(received);
            }
        }
    }

    @Override
    public int pending() {
        synchronized (lock) {
            return waiting.size();
        }
    }

    @Override
    public int retry() {
        synchronized (lock) {
            int settled = 0;
            while (!waiting.isEmpty() && settle(waiting.peekFirst())) {
                waiting.removeFirst();
                settled++;
            }
            if (settled > 0 || !waiting.isEmpty()) {
                LOG.info("MQTT ingestion retry: {} settled, {} still waiting", settled, waiting.size());
            }
            return settled;
        }
    }

    /** Stores or refuses one message and acknowledges it; false (not acknowledged) if storage is unavailable. */
    private boolean settle(Received received) {
        Optional<FeedMessage> message = message(received);
        if (message.isPresent()) {
            try {
                FeedStore.Stored stored = store.store(message.get());
                if (!stored.plan().complete()) {
                    report(
                            received,
                            stored.plan().report(stored.written() ? IssueSeverity.WARNING : IssueSeverity.ERROR));
                }
            } catch (TransientFeedException e) {
                LOG.warn(
                        "MQTT ingestion: storage unavailable for a message on {}, will retry: {}",
                        received.topic(),
                        e.getMessage());
                return false;
            } catch (FeedException e) {
                report(received, outcome(e.getMessage()));
            } catch (RuntimeException e) {
                LOG.error("MQTT ingestion: a message on {} failed and is dropped", received.topic(), e);
                report(received, outcome(IngestionErrors.INVALID_RECORDS.message("the payload failed: " + e)));
            }
        }
        acknowledge(received);
        return true;
    }

    /** The message for a topic, or empty (reported) when the topic names no format or a bad patient id. */
    private Optional<FeedMessage> message(Received received) {
        Matcher matched = topics.matcher(received.topic());
        Optional<FeedFormat> format = matched.matches() ? FeedFormat.named(matched.group(1)) : Optional.empty();
        String patient = matched.matches() ? matched.group(2) : null;
        if (format.isEmpty() || (patient != null && !PATIENT_ID.matcher(patient).matches())) {
            report(
                    received,
                    outcome(IngestionErrors.UNSUPPORTED_FORMAT.message("topic " + received.topic()
                            + " is not " + settings.topicPrefix() + "/<format>[/Patient/<id>] with a format of "
                            + "template-json, open-mhealth, apple-health, hl7v2")));
            return Optional.empty();
        }
        return Optional.of(new FeedMessage(received.payload(), format.get(), patient, settings.partial()));
    }

    private void acknowledge(Received received) {
        try {
            client.messageArrivedComplete(received.id(), received.qos());
        } catch (MqttException e) {
            LOG.warn("MQTT ingestion cannot acknowledge a message on {}: {}", received.topic(), e.getMessage());
        }
    }

    private void report(Received received, OperationOutcome outcome) {
        String suffix = received.topic().startsWith(settings.topicPrefix() + "/")
                ? received.topic().substring(settings.topicPrefix().length())
                : "/" + received.topic();
        byte[] json =
                fhirContext.newJsonParser().encodeResourceToString(outcome).getBytes(StandardCharsets.UTF_8);
        try {
            client.publish(settings.errorTopic() + suffix, json, 1, false);
        } catch (MqttException e) {
            LOG.warn("MQTT ingestion cannot publish a report for {}: {}", received.topic(), e.getMessage());
        }
    }

    private static OperationOutcome outcome(String message) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.INVALID)
                .setDiagnostics(message);
        return outcome;
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // Reports are fire and forget.
    }

    @Override
    public void stop() {
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(5_000);
            }
            client.close();
        } catch (MqttException e) {
            LOG.warn("MQTT ingestion did not disconnect cleanly: {}", e.getMessage());
        }
        client = null;
    }

    @Override
    public boolean isRunning() {
        return client != null;
    }

    /** After the web server, so that a message is only taken once the whole server is up. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
