package health.vigil.ingestion.device;

import static health.vigil.ingestion.device.DeviceTemplatesTest.TERMINOLOGY;
import static org.assertj.core.api.Assertions.assertThat;

import health.vigil.ingestion.api.IngestionProperties;
import health.vigil.ingestion.api.Measurement;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.SampledData;
import org.junit.jupiter.api.Test;

class SampledWindowsTest {

    private static final OffsetDateTime MINUTE = OffsetDateTime.parse("2026-11-30T07:15:00+02:00");
    private static final Measurement.DeviceIdentity STRAP =
            new Measurement.DeviceIdentity("urn:acme:serial", "HR-7", "Acme strap");

    private final ObservationMapper mapper = new ObservationMapper(TERMINOLOGY);
    private final SampledWindows windows = new SampledWindows(new IngestionProperties.SampledData(
            true, Duration.ofMinutes(1), Duration.ofSeconds(5), 6, List.of("8867-4")));

    @Test
    void apply_perSecondHeartRate_oneSampledDataObservationPerMinute() {
        List<IngestionTransaction.Item> items = new ArrayList<>();
        for (int second = 0; second < 90; second++) {
            items.add(item(heartRate("r" + second, MINUTE.plusSeconds(second), 60 + second % 7)));
        }

        List<IngestionTransaction.Item> windowed = windows.apply(items);

        assertThat(windowed).hasSize(2);
        Observation first = windowed.get(0).observation();
        SampledData data = first.getValueSampledData();
        assertThat(data.getPeriod()).isEqualByComparingTo("1000");
        assertThat(data.getDimensions()).isEqualTo(1);
        assertThat(data.getOrigin().getValue()).isEqualByComparingTo("0");
        assertThat(data.getOrigin().getCode()).isEqualTo("/min");
        assertThat(data.getData().split(" ")).hasSize(60).startsWith("60", "61", "62", "63", "64", "65", "66", "60");
        assertThat(first.getEffectivePeriod().getStartElement().getValueAsString())
                .isEqualTo("2026-11-30T07:15:00+02:00");
        assertThat(first.getEffectivePeriod().getEndElement().getValueAsString())
                .isEqualTo("2026-11-30T07:15:59+02:00");
        assertThat(first.getCode().getCodingFirstRep().getCode()).isEqualTo("8867-4");
        assertThat(first.getDevice().getReference()).isEqualTo("Device/" + ObservationMapper.deviceId(STRAP));
        assertThat(first.getIdentifierFirstRep().getValue()).startsWith("acme/window/8867-4/2026-11-30T05:15:00Z/");
        assertThat(windowed.get(1).observation().getValueSampledData().getData().split(" "))
                .hasSize(30);
        assertThat(R4Validation.errors(first)).isEmpty();
    }

    @Test
    void apply_missingSeconds_areE() {
        List<IngestionTransaction.Item> items = new ArrayList<>();
        for (int second : new int[] {0, 1, 2, 4, 5, 6, 9}) {
            items.add(item(heartRate("r" + second, MINUTE.plusSeconds(second), 70)));
        }

        assertThat(windows.apply(items)
                        .get(0)
                        .observation()
                        .getValueSampledData()
                        .getData())
                .isEqualTo("70 70 70 E 70 70 70 E E 70");
    }

    @Test
    void apply_sameReadingsInAnyOrderOrBatching_sameWindowId_otherReadingsOfTheMinute_anotherId() {
        List<IngestionTransaction.Item> items = new ArrayList<>();
        for (int second = 0; second < 20; second++) {
            items.add(item(heartRate("r" + second, MINUTE.plusSeconds(second), 70)));
        }
        List<IngestionTransaction.Item> shuffled = new ArrayList<>(items);
        Collections.reverse(shuffled);
        List<IngestionTransaction.Item> withDuplicate = new ArrayList<>(items);
        withDuplicate.add(items.get(3));

        String id = windows.apply(items).get(0).observation().getIdElement().getIdPart();
        assertThat(windows.apply(shuffled).get(0).observation().getIdElement().getIdPart())
                .isEqualTo(id);
        assertThat(windows.apply(withDuplicate)).hasSize(1);
        assertThat(windows.apply(withDuplicate)
                        .get(0)
                        .observation()
                        .getIdElement()
                        .getIdPart())
                .isEqualTo(id);
        assertThat(windows.apply(items.subList(0, 10))
                        .get(0)
                        .observation()
                        .getIdElement()
                        .getIdPart())
                .isNotEqualTo(id);
    }

    @Test
    void apply_spotReadingsFewReadingsAndOtherCodes_stayQuantities() {
        List<IngestionTransaction.Item> items = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            items.add(item(heartRate("spot" + i, MINUTE.plusMinutes(5L * i), 70))); // one every 5 minutes
        }
        for (int second = 0; second < 5; second++) {
            items.add(item(heartRate("few" + second, MINUTE.plusHours(2).plusSeconds(second), 70))); // 5 < 6
        }
        for (int second = 0; second < 10; second += 1) {
            items.add(
                    item(quantity("8310-5", "sec" + second, MINUTE.plusHours(3).plusSeconds(second), "36.6", "Cel")));
        }

        assertThat(windows.apply(items)).isEqualTo(items);
    }

    @Test
    void apply_twoDevicesInOneMinute_windowedApart() {
        Measurement.DeviceIdentity other = new Measurement.DeviceIdentity("urn:acme:serial", "HR-8", null);
        List<IngestionTransaction.Item> items = new ArrayList<>();
        for (int second = 0; second < 10; second++) {
            items.add(item(heartRate("a" + second, MINUTE.plusSeconds(second), 70)));
            items.add(item(withDevice(heartRate("b" + second, MINUTE.plusSeconds(second), 80), other)));
        }

        List<IngestionTransaction.Item> windowed = windows.apply(items);

        assertThat(windowed)
                .extracting(item -> item.observation().getValueSampledData().getData())
                .containsExactly("70 70 70 70 70 70 70 70 70 70", "80 80 80 80 80 80 80 80 80 80");
    }

    @Test
    void transaction_ofWindows_validatesAndNamesTheDevicesOnce() {
        List<IngestionTransaction.Item> items = new ArrayList<>();
        for (int second = 0; second < 30; second++) {
            items.add(item(heartRate("r" + second, MINUTE.plusSeconds(second), 70)));
        }

        Bundle transaction = IngestionTransaction.of(
                "https://vigil.example/fhir",
                "x".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "application/json",
                windows.apply(items));

        assertThat(transaction.getEntry())
                .extracting(entry -> entry.getResource().fhirType())
                .containsExactly("Binary", "Device", "Observation", "Provenance");
        assertThat(R4Validation.errors(transaction)).isEmpty();
    }

    private IngestionTransaction.Item item(Measurement measurement) {
        ObservationMapper.Result result = mapper.map(measurement);
        assertThat(result).isInstanceOf(ObservationMapper.Result.Mapped.class);
        return new IngestionTransaction.Item(measurement, ((ObservationMapper.Result.Mapped) result).observation());
    }

    private static Measurement heartRate(String recordId, OffsetDateTime at, int bpm) {
        return withDevice(quantity("8867-4", recordId, at, Integer.toString(bpm), "/min"), STRAP);
    }

    private static Measurement quantity(String code, String recordId, OffsetDateTime at, String value, String unit) {
        return new Measurement(
                code,
                null,
                new Measurement.Quantity(new BigDecimal(value), unit),
                at,
                null,
                STRAP,
                "p1",
                null,
                "acme",
                recordId);
    }

    private static Measurement withDevice(Measurement m, Measurement.DeviceIdentity device) {
        return new Measurement(
                m.code(),
                m.sourceCode(),
                m.value(),
                m.start(),
                m.end(),
                device,
                m.patientId(),
                m.patientIdentifier(),
                m.source(),
                m.recordId());
    }
}
