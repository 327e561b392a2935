package health.vigil.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.vigil.benchmarks.DeviceReadings.Kind;
import health.vigil.benchmarks.DeviceReadings.Reading;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeviceReadingsTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void next_manyBatches_everyReadingHasItsOwnIdAndSecond() {
        DeviceReadings readings = new DeviceReadings();
        List<Reading> all = new ArrayList<>();
        all.addAll(readings.next("bench-p1", 100));
        all.addAll(readings.next("bench-p2", 100));
        all.add(readings.nextHeartRate("bench-p1"));

        Set<String> ids = new HashSet<>();
        Set<Instant> instants = new HashSet<>();
        all.forEach(reading -> {
            ids.add(reading.messageId());
            instants.add(reading.time().toInstant());
        });
        assertThat(ids).hasSize(201);
        assertThat(instants).hasSize(201);
    }

    @Test
    void next_values_arePlausibleAndThreeHeartRatesToOneBloodPressure() {
        List<Reading> batch = new DeviceReadings().next("bench-p1", 1000);

        assertThat(batch).allSatisfy(reading -> {
            assertThat(reading.patientId()).isEqualTo("bench-p1");
            if (reading.kind() == Kind.HEART_RATE) {
                assertThat(reading.value()).isBetween(50, 119);
            } else {
                assertThat(reading.value()).isBetween(100, 149);
                assertThat(reading.diastolic()).isBetween(60, 89).isLessThan(reading.value());
            }
        });
        assertThat(batch.stream().filter(reading -> reading.kind() == Kind.BLOOD_PRESSURE))
                .hasSize(250);
    }

    @Test
    void formattedTime_alwaysHasAnExplicitUtcOffset() {
        List<Reading> batch = new DeviceReadings().next("bench-p1", 8);

        assertThat(batch).allSatisfy(reading -> assertThat(reading.formattedTime())
                .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[+-]\\d{2}:\\d{2}"));
        assertThat(batch.stream().map(reading -> reading.time().getOffset()).distinct())
                .hasSize(4);
        assertThat(OffsetDateTime.parse(batch.get(1).formattedTime()).toInstant())
                .isEqualTo(DeviceReadings.FIRST_READING.plusSeconds(1));
    }

    @Test
    void deviceMessages_isAJsonArrayInTheTemplateFormat() throws Exception {
        List<Reading> batch = new DeviceReadings().next("bench-p7", 4);

        JsonNode messages = json.readTree(DeviceReadings.deviceMessages(batch));

        assertThat(messages.isArray()).isTrue();
        assertThat(messages).hasSize(4);
        JsonNode heartRate = messages.get(0);
        assertThat(heartRate.path("msgId").asText()).isEqualTo("r-0");
        assertThat(heartRate.path("type").asText()).isEqualTo("hr");
        assertThat(heartRate.path("serial").asText()).isEqualTo("band-bench-p7");
        assertThat(heartRate.path("bpm").asInt()).isEqualTo(batch.get(0).value());
        JsonNode bloodPressure = messages.get(3);
        assertThat(bloodPressure.path("type").asText()).isEqualTo("bp");
        assertThat(bloodPressure.path("serial").asText()).isEqualTo("cuff-bench-p7");
        assertThat(bloodPressure.path("sys").asInt()).isEqualTo(batch.get(3).value());
        assertThat(bloodPressure.path("dia").asInt()).isEqualTo(batch.get(3).diastolic());
        assertThat(bloodPressure.path("at").asText()).isEqualTo(batch.get(3).formattedTime());
    }

    @Test
    void observation_isAVitalSignsObservationOfTheReading() throws Exception {
        List<Reading> batch = new DeviceReadings().next("bench-p3", 4);

        JsonNode heartRate = json.readTree(DeviceReadings.observation(batch.get(0)));
        JsonNode bloodPressure = json.readTree(DeviceReadings.observation(batch.get(3)));

        assertThat(heartRate.path("resourceType").asText()).isEqualTo("Observation");
        assertThat(heartRate.path("subject").path("reference").asText()).isEqualTo("Patient/bench-p3");
        assertThat(heartRate.path("code").path("coding").get(0).path("code").asText())
                .isEqualTo("8867-4");
        assertThat(heartRate.path("valueQuantity").path("code").asText()).isEqualTo("/min");
        assertThat(heartRate.path("effectiveDateTime").asText())
                .isEqualTo(batch.get(0).formattedTime());
        assertThat(bloodPressure.path("code").path("coding").get(0).path("code").asText())
                .isEqualTo("85354-9");
        assertThat(bloodPressure.path("component")).hasSize(2);
        assertThat(bloodPressure
                        .path("component")
                        .get(1)
                        .path("valueQuantity")
                        .path("value")
                        .asInt())
                .isEqualTo(batch.get(3).diastolic());
    }

    @Test
    void searchQuery_namesPatientCodeAndSecond_encoded() {
        Reading reading = new DeviceReadings().next("bench-p1", 2).get(1);

        assertThat(reading.searchQuery())
                .isEqualTo("Observation?subject=Patient/bench-p1&code=http%3A%2F%2Floinc.org%7C8867-4"
                        + "&date=eq2025-06-01T01%3A00%3A01%2B01%3A00");
    }
}
