package health.vigil.ingestion.api;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Ingestion settings, {@code vigil.ingestion.*}.
 *
 * @param enabled whether device feeds can be ingested ({@code $ingest}); default {@code true}
 * @param templates where the device templates for JSON messages are: Spring resource locations, with
 *     wildcards ({@code file:/etc/vigil/templates/*.json}, {@code classpath:templates/acme.json}); every
 *     file is validated at start and the server does not start with a broken one. Default: none, so
 *     JSON device messages need templates sent with the request
 * @param mqtt the MQTT subscriber, {@code vigil.ingestion.mqtt.*}
 * @param hl7v2 reading HL7 v2 lab results, {@code vigil.ingestion.hl7v2.*}
 */
@ConfigurationProperties("vigil.ingestion")
public record IngestionProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue List<String> templates,
        @DefaultValue Mqtt mqtt,
        @DefaultValue Hl7v2 hl7v2) {

    public IngestionProperties {
        templates = List.copyOf(templates);
    }

    /**
     * HL7 v2 lab results.
     *
     * @param zone the time zone of sending labs' times that carry no UTC offset (HL7 v2 TS without
     *     {@code +hhmm}); default {@code UTC}
     * @param assigningAuthorities identifier system URIs for PID-3 assigning authorities that carry no OID
     *     or URI themselves, by namespace id ({@code vigil.ingestion.hl7v2.assigning-authorities.MRN-LAB=
     *     https://lab.example.org/mrn}); default none
     */
    public record Hl7v2(@DefaultValue("UTC") ZoneId zone, @DefaultValue Map<String, String> assigningAuthorities) {

        public Hl7v2 {
            assigningAuthorities = Map.copyOf(assigningAuthorities);
        }
    }

    /**
     * The MQTT subscriber: payloads published to {@code <topic-prefix>/<format>} (records name their
     * patients) or {@code <topic-prefix>/<format>/Patient/<id>} are stored as {@code $ingest} stores
     * them.
     *
     * @param enabled whether to subscribe; default {@code false}
     * @param brokerUrl the broker, {@code tcp://host:1883} or {@code ssl://host:8883}; default {@code
     *     tcp://127.0.0.1:1883}
     * @param clientId the MQTT client id; stable across restarts, because the broker keeps the session
     *     (and the messages not yet acknowledged) under it; each node needs its own. Default {@code
     *     vigil-ingest}
     * @param topicPrefix the topics subscribed to are {@code <topic-prefix>/#}; default {@code vigil/ingest}
     * @param sharedGroup when set, subscribe as the shared subscription {@code $share/<group>/...}, so that
     *     several nodes split the messages instead of each storing all; default none
     * @param errorTopic where the report of a refused payload is published, as an OperationOutcome (JSON),
     *     under the payload's topic suffix ({@code <error-topic>/<format>/...}); default {@code
     *     vigil/ingest-errors}
     * @param partial whether to store the valid records of a payload with rejected ones; default {@code
     *     false}: all or nothing, as {@code $ingest}
     * @param username the broker user; default none (anonymous)
     * @param password the broker password; default none
     * @param retryInterval how often payloads that met unavailable storage are tried again; default 30 s
     */
    public record Mqtt(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("tcp://127.0.0.1:1883") String brokerUrl,
            @DefaultValue("vigil-ingest") String clientId,
            @DefaultValue("vigil/ingest") String topicPrefix,
            String sharedGroup,
            @DefaultValue("vigil/ingest-errors") String errorTopic,
            @DefaultValue("false") boolean partial,
            String username,
            String password,
            @DefaultValue("30s") Duration retryInterval) {}
}
