package health.vigil.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The harness's side of MQTT ingestion: a device gateway that publishes payloads with QoS 1 (each
 * publish returns once the broker has acknowledged it), and a listener on the server's error topic that
 * counts the reports of refused payloads.
 */
final class MqttFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MqttFeed.class);
    private static final int TIMEOUT_MILLIS = 10_000;

    private final MqttClient client;
    private final AtomicInteger errorReports = new AtomicInteger();
    private final AtomicReference<String> firstErrorReport = new AtomicReference<>();

    private MqttFeed(MqttClient client) {
        this.client = client;
    }

    /** Connects as {@code clientId} (clean session) and subscribes to {@code <errorTopic>/#}. */
    static MqttFeed connect(String brokerUrl, String clientId, String errorTopic) {
        try {
            MqttClient client = new MqttClient(brokerUrl, clientId, new MemoryPersistence());
            client.setTimeToWait(TIMEOUT_MILLIS);
            MqttFeed feed = new MqttFeed(client);
            client.setCallback(feed.new ErrorReports());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            options.setConnectionTimeout(TIMEOUT_MILLIS / 1000);
            client.connect(options);
            client.subscribe(errorTopic + "/#", 1);
            return feed;
        } catch (MqttException e) {
            throw new IllegalStateException("Cannot connect to the MQTT broker at " + brokerUrl + ": " + e, e);
        }
    }

    /**
     * Ends the broker's persistent session of {@code clientId} (the server's, after it stopped): a clean
     * connection under that id discards it, so runs leave no sessions behind.
     */
    static void discardSession(String brokerUrl, String clientId) {
        try (MqttClient client = new MqttClient(brokerUrl, clientId, new MemoryPersistence())) {
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            client.connect(options);
            client.disconnect();
        } catch (MqttException e) {
            log.warn("Could not discard the MQTT session of {}: {}", clientId, e.toString());
        }
    }

    /** Publishes with QoS 1 and returns once the broker has acknowledged it. */
    void publish(String topic, byte[] payload) throws MqttException {
        client.publish(topic, payload, 1, false);
    }

    /** Reports of refused payloads received so far. */
    int errorReports() {
        return errorReports.get();
    }

    /** The start of the first report, or null. */
    String firstErrorReport() {
        return firstErrorReport.get();
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        } catch (MqttException e) {
            log.warn("MQTT client did not close cleanly: {}", e.toString());
        }
    }

    /** Counts what arrives on the error topic. */
    private final class ErrorReports implements MqttCallback {

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            errorReports.incrementAndGet();
            String report = new String(message.getPayload(), StandardCharsets.UTF_8);
            String start = report.length() > 300 ? report.substring(0, 300) + "..." : report;
            firstErrorReport.compareAndSet(null, topic + ": " + start);
        }

        @Override
        public void connectionLost(Throwable cause) {
            log.warn("MQTT connection of the harness lost: {}", String.valueOf(cause));
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // publish() already waited for it.
        }
    }
}
