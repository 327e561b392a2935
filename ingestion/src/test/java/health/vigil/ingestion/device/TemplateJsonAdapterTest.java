package health.vigil.ingestion.device;

import static health.vigil.ingestion.device.DeviceTemplatesTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import health.vigil.ingestion.api.FeedException;
import health.vigil.ingestion.api.Measurement;
import health.vigil.ingestion.api.MeasurementProblem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class TemplateJsonAdapterTest {

    private final TemplateJsonAdapter adapter = new TemplateJsonAdapter(
            new DeviceTemplates(DeviceTemplatesTest.TERMINOLOGY).read("acme", DeviceTemplatesTest.acmeTemplates()));

    static byte[] acmeMessages() {
        return Fixtures.bytes("/templates/acme-messages.json");
    }

    @Test
    void read_exampleMessages_giveMeasurementsFieldByField() throws IOException {
        CollectingSink sink = read(acmeMessages());

        assertThat(sink.problems).isEmpty();
        assertThat(sink.measurements).hasSize(3);
        Measurement heartRate = sink.measurements.get(0);
        assertThat(heartRate.code()).isEqualTo("8867-4");
        assertThat(heartRate.sourceCode())
                .isEqualTo(new Measurement.SourceCode("urn:acme:reading-type", "hr", "Heart rate"));
        assertThat(heartRate.value()).isEqualTo(new Measurement.Quantity(new BigDecimal("64"), "/min"));
        assertThat(heartRate.start()).isEqualTo(OffsetDateTime.parse("2026-11-30T07:15:00+01:00"));
        assertThat(heartRate.start().getOffset().getTotalSeconds()).isEqualTo(3600);
        assertThat(heartRate.end()).isNull();
        assertThat(heartRate.device())
                .isEqualTo(new Measurement.DeviceIdentity("urn:acme:serial", "WB-0042", "Acme Band 3"));
        assertThat(heartRate.patientId()).isNull();
        assertThat(heartRate.patientIdentifier())
                .isEqualTo(new Measurement.PatientIdentifier("urn:acme:member", "A-77"));
        assertThat(heartRate.source()).isEqualTo("template/acme-heart-rate");
        assertThat(heartRate.recordId()).isEqualTo("m-1001");

        Measurement bloodPressure = sink.measurements.get(1);
        assertThat(bloodPressure.code()).isEqualTo("85354-9");
        assertThat(((Measurement.Components) bloodPressure.value()).components())
                .containsExactly(
                        new Measurement.Component("8480-6", new BigDecimal("128"), "mm[Hg]"),
                        new Measurement.Component("8462-4", new BigDecimal("82"), "mm[Hg]"));
        assertThat(bloodPressure.recordId()).isEqualTo("CUFF-9/2026-11-30T06:20:00Z");

        Measurement steps = sink.measurements.get(2);
        assertThat(steps.start()).isEqualTo(OffsetDateTime.parse("2026-11-30T06:00:00Z"));
        assertThat(steps.end()).isEqualTo(OffsetDateTime.parse("2026-11-30T07:00:00Z"));
        assertThat(steps.patientIdentifier()).isNull();
        assertThat(steps.value()).isEqualTo(new Measurement.Quantity(new BigDecimal("1200"), "{steps}"));
    }

    @Test
    void read_singleMessageObject_isOneMeasurement() throws IOException {
        CollectingSink sink = read(
                json(
                        """
                {"msgId": "x", "type": "hr", "serial": "WB-1", "member": "A-1", "at": "2026-11-30T07:15:00Z", "bpm": 70}
                """));

        assertThat(sink.measurements)
                .singleElement()
                .extracting(Measurement::recordId)
                .isEqualTo("x");
    }

    @Test
    void read_badMessages_areProblemsNamingRecordAndElement() throws IOException {
        CollectingSink sink = read(
                json(
                        """
                [
                  {"msgId": "a", "type": "hr", "serial": "WB-1", "at": "2026-11-30T07:15:00", "bpm": 70},
                  {"msgId": "b", "type": "hr", "serial": "WB-1", "at": "2026-11-30T07:15:00Z", "bpm": "fast"},
                  {"msgId": "c", "type": "hr", "serial": "WB-1", "bpm": 70},
                  {"type": "temperature", "value": 37.2},
                  42,
                  {"type": "bp", "at": "2026-11-30T07:15:00Z", "sys": 120, "dia": 80}
                ]
                """));

        assertThat(sink.measurements).isEmpty();
        assertThat(sink.problems)
                .extracting(MeasurementProblem::recordId, MeasurementProblem::element)
                .containsExactly(
                        tuple("a", "time"),
                        tuple("b", "value"),
                        tuple("c", "time"),
                        tuple("$[3]", "message"),
                        tuple("$[4]", "message"),
                        tuple("$[5]", "device"));
        assertThat(sink.problems.get(0).message()).isEqualTo("time '2026-11-30T07:15:00' at $.at has no UTC offset");
        assertThat(sink.problems.get(1).message()).isEqualTo("'fast' at $.bpm is not a number");
        assertThat(sink.problems.get(3).message())
                .isEqualTo("no device template matches the message (templates: acme-heart-rate, acme-blood-pressure,"
                        + " acme-steps)");
    }

    @Test
    void read_notJson_isMalformed() {
        assertThatThrownBy(() -> read(json("[{\"type\": \"hr\",")))
                .isInstanceOf(FeedException.class)
                .hasMessageStartingWith("VGL-1201: not JSON at line 1");
        assertThatThrownBy(() -> read(json("\"hr\"")))
                .isInstanceOf(FeedException.class)
                .hasMessageContaining("a JSON object or an array");
    }

    private CollectingSink read(byte[] payload) throws IOException {
        CollectingSink sink = new CollectingSink();
        adapter.read(new ByteArrayInputStream(payload), sink);
        return sink;
    }
}
