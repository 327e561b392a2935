package health.vigil.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Device feeds over MQTT end to end: a device publishes to the local broker (Mosquitto on
 * 127.0.0.1:1883), the server's subscriber stores the readings with the configured templates, a
 * message delivered twice changes nothing, and a refused payload's report comes back on the error
 * topic.
 */
class MqttIngestIT extends ServerIT {

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String patient = "mqtt-" + run;
    private final String member = "MQ-" + run;
    private final BlockingQueue<String> reports = new LinkedBlockingQueue<>();
    private MqttClient device;

    @BeforeEach
    void patientAndDevice() throws Exception {
        DeviceIngestIT.putAcmeMember(this, patient, member);
        device = new MqttClient("tcp://127.0.0.1:1883", "it-device-" + run, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        device.connect(options);
        device.subscribe(
                "vigil-it-" + MQTT_RUN + "/errors/#",
                1,
                (topic, message) ->
                        reports.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));
    }

    @AfterEach
    void disconnect() throws Exception {
        device.disconnect();
        device.close();
    }

    @Test
    void reading_publishedForAPatient_isStored() throws Exception {
        publish("/template-json/Patient/" + patient, heartRate("a", 20, 61));

        Observation stored = awaitObservations(list -> list.size() == 1).get(0);
        assertThat(stored.getCode().getCodingFirstRep().getCode()).isEqualTo("8867-4");
        assertThat(stored.getValueQuantity().getValue()).isEqualByComparingTo("61");
        assertThat(stored.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2026-11-30T07:20:00+01:00");
    }

    @Test
    void everyFormat_publishedOnItsTopic_isStored() throws Exception {
        publish(
                "/open-mhealth/Patient/" + patient,
                """
                {"header": {"uuid": "omh-%s", "schema_id": {"namespace": "omh", "name": "body-weight", "version": "2.0"}},
                 "body": {"body_weight": {"value": 71.4, "unit": "kg"},
                          "effective_time_frame": {"date_time": "2026-11-30T06:50:00+01:00"}}}"""
                        .formatted(run));
        publish(
                "/hl7v2/Patient/" + patient,
                String.join(
                        "\r",
                        "MSH|^~\\&|LIS|RIVERSIDE LAB^2.16.840.1.113883.3.9999.1^ISO|VIGIL|VIGIL|20261130101500+0100||ORU^R01^ORU_R01|M-"
                                + run + "|P|2.5.1",
                        "PID|1||MRN-" + run
                                + "^^^RIVERSIDE&2.16.840.1.113883.3.9999.2&ISO^MR||MOREAU^CLAIRE||19680405|F",
                        "OBR|1|PL-" + run + "^VIGIL|F-" + run + "^RIVERSIDE|2345-7^Glucose^LN|||20261130081000+0100",
                        "OBX|1|NM|2345-7^Glucose [Mass/volume] in Serum or Plasma^LN||98|mg/dL^^UCUM|70-99|N|||F|||20261130081000+0100",
                        ""));
        publish(
                "/apple-health/Patient/" + patient,
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <HealthData locale="en_US">
                 <Record type="HKQuantityTypeIdentifierRespiratoryRate" sourceName="Apple Watch" unit="count/min" \
                creationDate="2026-11-30 03:10:00 +0100" startDate="2026-11-30 03:05:00 +0100" \
                endDate="2026-11-30 03:07:00 +0100" value="14"/>
                </HealthData>
                """);

        List<Observation> stored = awaitObservations(list -> list.size() == 3);

        assertThat(stored)
                .extracting(
                        observation -> observation.getCode().getCodingFirstRep().getCode())
                .containsExactlyInAnyOrder("29463-7", "2345-7", "9279-1");
    }

    @Test
    void messageDeliveredTwice_changesNothing() throws Exception {
        String reading = heartRate("a", 20, 61);
        publish("/template-json/Patient/" + patient, reading);
        awaitObservations(list -> list.size() == 1);

        publish("/template-json/Patient/" + patient, reading);
        // Messages are stored in order: once the next one is there, the repeat has been handled.
        publish("/template-json/Patient/" + patient, heartRate("b", 25, 63));

        List<Observation> stored = awaitObservations(list -> list.size() == 2);
        assertThat(stored)
                .extracting(observation -> observation.getMeta().getVersionId())
                .containsOnly("1");
    }

    @Test
    void readingNamingItsPatient_onTheFormatTopic_isStoredForThem() throws Exception {
        publish("/template-json", heartRate("a", 30, 70));

        assertThat(awaitObservations(list -> list.size() == 1)
                        .get(0)
                        .getSubject()
                        .getReference())
                .isEqualTo("Patient/" + patient);
    }

    @Test
    void impossibleReading_isReportedOnTheErrorTopicAndNothingStored() throws Exception {
        publish("/template-json/Patient/" + patient, heartRate("bad", 20, 900));

        String report = reports.poll(20, TimeUnit.SECONDS);
        assertThat(report)
                .isNotNull()
                .startsWith("vigil-it-" + MQTT_RUN + "/errors/template-json/Patient/" + patient + " ")
                .contains("VGL-1203: record bad-" + run + ": value:")
                .contains("900");
        assertThat(observations()).isEmpty();
    }

    private String heartRate(String id, int minute, int bpm) {
        return """
                [{"msgId":"%s-%s","type":"hr","serial":"MQ-WB-%s","member":"%s","at":"2026-11-30T07:%02d:00+01:00","bpm":%d}]"""
                .formatted(id, run, run, member, minute, bpm)
                .strip();
    }

    private void publish(String suffix, String payload) throws Exception {
        device.publish(mqttTopicPrefix() + suffix, payload.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    private List<Observation> awaitObservations(Predicate<List<Observation>> done) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<Observation> found = observations();
        while (!done.test(found)) {
            assertThat(System.nanoTime())
                    .as("waited 30 s; found " + found.size())
                    .isLessThan(until);
            Thread.sleep(100);
            found = observations();
        }
        return found;
    }

    private List<Observation> observations() throws Exception {
        HttpResponse<String> response = fhirGet("Observation?subject=Patient/" + patient);
        assertThat(response.statusCode()).isEqualTo(200);
        return FHIR.newJsonParser().parseResource(Bundle.class, response.body()).getEntry().stream()
                .map(entry -> (Observation) entry.getResource())
                .toList();
    }
}
