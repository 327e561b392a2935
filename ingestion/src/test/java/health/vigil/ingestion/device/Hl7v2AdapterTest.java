package health.vigil.ingestion.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import health.vigil.ingestion.api.FeedException;
import health.vigil.ingestion.api.FeedFormat;
import health.vigil.ingestion.api.IngestionErrors;
import health.vigil.ingestion.api.Measurement;
import health.vigil.ingestion.api.Measurement.Interpretation;
import health.vigil.ingestion.api.Measurement.Quantity;
import health.vigil.ingestion.api.Measurement.Report;
import health.vigil.ingestion.api.Measurement.ResultStatus;
import health.vigil.ingestion.api.MeasurementProblem;
import health.vigil.terminology.api.Terminology;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Hl7v2AdapterTest {

    static final String SOURCE = "hl7v2/RIVERSIDE LAB";
    static final String LAB_CODES = "https://vigil.health/fhir/CodeSystem/hl7v2/RIVERSIDE%20LAB/L";
    private static final OffsetDateTime DRAWN = OffsetDateTime.parse("2026-03-12T08:10:00+01:00");
    private static final OffsetDateTime RELEASED = OffsetDateTime.parse("2026-03-12T10:05:00+01:00");

    private static final Hl7v2Adapter ADAPTER = adapter(Map.of());

    static Hl7v2Adapter adapter(Map<String, String> assigningAuthorities) {
        return new Hl7v2Adapter(Terminology.load(), ZoneId.of("Europe/Paris"), assigningAuthorities);
    }

    @Test
    void format_isHl7v2() {
        assertThat(ADAPTER.format()).isEqualTo(FeedFormat.HL7V2);
    }

    @Test
    void read_golden_everyNumericResultWithCodesUnitsRangesFlagsAndReport() {
        CollectingSink sink = read(fixture("oru-r01-cbc-bmp.hl7"));

        assertThat(sink.problems).isEmpty();
        assertThat(sink.measurements)
                .extracting(Measurement::code, Measurement::recordId, Measurement::value)
                .containsExactly(
                        tuple("6690-2", "F-55021/6690-2", quantity("11.8", "10*3/uL")),
                        tuple("789-8", "F-55021/789-8", quantity("3.95", "10*6/uL")),
                        tuple("718-7", "F-55021/718-7", quantity("11.9", "g/dL")),
                        tuple("4544-3", "F-55021/4544-3", quantity("36.1", "%")),
                        tuple("777-3", "F-55021/777-3", quantity("245", "10*3/uL")),
                        tuple("704-7", "F-55021/704-7", quantity("0.1", "10*3/uL")),
                        tuple("2345-7", "F-55022/GLU", quantity("182", "mg/dL")),
                        tuple("3094-0", "F-55022/BUN", quantity("18", "mg/dL")),
                        tuple("2160-0", "F-55022/CREA", quantity("0.9", "mg/dL")),
                        tuple("2951-2", "F-55022/NA", quantity("131", "mmol/L")),
                        tuple("2823-3", "F-55022/K", quantity("4.2", "mmol/L")),
                        tuple("2075-0", "F-55022/CL", quantity("101", "mmol/L")),
                        tuple("2028-9", "F-55022/CO2", quantity("24", "mmol/L")),
                        tuple("17861-6", "F-55022/CA", quantity("9.4", "mg/dL")));
        assertThat(sink.measurements).allSatisfy(measurement -> {
            assertThat(measurement.source()).isEqualTo(SOURCE);
            assertThat(measurement.patientIdentifier())
                    .isEqualTo(new Measurement.PatientIdentifier("urn:oid:2.16.840.1.113883.3.9999.2", "MRN-448812"));
            assertThat(measurement.patientId()).isNull();
            assertThat(measurement.device()).isNull();
            assertThat(measurement.start()).isEqualTo(DRAWN);
            assertThat(measurement.end()).isNull();
            assertThat(measurement.lab().status()).isEqualTo(ResultStatus.FINAL);
        });
        assertThat(sink.measurements)
                .extracting(measurement -> measurement.lab().interpretation())
                .containsExactly(
                        Interpretation.H,
                        Interpretation.L,
                        Interpretation.L,
                        Interpretation.N,
                        null,
                        null,
                        Interpretation.H,
                        null,
                        Interpretation.N,
                        Interpretation.L,
                        Interpretation.N,
                        Interpretation.N,
                        Interpretation.N,
                        Interpretation.N);

        Measurement leukocytes = sink.measurements.get(0);
        assertThat(leukocytes.sourceCode()).isNull();
        assertThat(leukocytes.lab().comparator()).isNull();
        assertThat(leukocytes.lab().referenceRange())
                .isEqualTo(new Measurement.ReferenceRange(
                        new BigDecimal("4.0"), new BigDecimal("10.0"), "10*3/uL", "4.0-10.0"));
        assertThat(leukocytes.lab().report())
                .isEqualTo(new Report(
                        "F-55021",
                        new Measurement.SourceCode(
                                "http://loinc.org", "58410-2", "CBC panel - Blood by Automated count"),
                        DRAWN,
                        RELEASED,
                        ResultStatus.FINAL,
                        "RIVERSIDE LAB",
                        "blood"));

        Measurement basophils = sink.measurements.get(5);
        assertThat(basophils.lab().comparator()).isEqualTo("<");
        assertThat(basophils.lab().referenceRange())
                .isEqualTo(new Measurement.ReferenceRange(null, new BigDecimal("0.2"), "10*3/uL", "<0.2"));

        Measurement glucose = sink.measurements.get(6);
        assertThat(glucose.sourceCode()).isEqualTo(new Measurement.SourceCode(LAB_CODES, "GLU", "Glucose"));
        Report panel = glucose.lab().report();
        assertThat(panel.id()).isEqualTo("F-55022");
        assertThat(panel.code()).isEqualTo(new Measurement.SourceCode(LAB_CODES, "BMP", "Basic metabolic panel"));
        assertThat(panel.specimen()).isEqualTo("serum");
    }

    @Test
    void read_correctedResult_sameRecordWithCorrectedStatus() {
        Measurement original = byRecord(read(fixture("oru-r01-cbc-bmp.hl7")), "F-55022/GLU");
        Measurement corrected = byRecord(read(fixture("oru-r01-cbc-bmp-corrected.hl7")), "F-55022/GLU");

        assertThat(corrected.source()).isEqualTo(original.source());
        assertThat(corrected.code()).isEqualTo(original.code());
        assertThat(corrected.value()).isEqualTo(quantity("128", "mg/dL"));
        assertThat(corrected.lab().status()).isEqualTo(ResultStatus.CORRECTED);
        assertThat(corrected.lab().report().status()).isEqualTo(ResultStatus.CORRECTED);
        assertThat(corrected.lab().report().issued()).isEqualTo(OffsetDateTime.parse("2026-03-12T14:25:00+01:00"));
    }

    @Test
    void read_mllpFramedMessagesWithNewlines_readsEach() {
        String message = fixture("oru-r01-cbc-bmp.hl7");
        String framed = "\u000b" + message.replace("\r", "\r\n") + "\u001c\r" + "\u000b" + message.replace("\r", "\n")
                + "\u001c\r";

        CollectingSink sink = read(framed);

        assertThat(sink.problems).isEmpty();
        assertThat(sink.measurements).hasSize(28);
    }

    @Test
    void read_version23WithoutOffsets_parsesIntoTheSameModelInTheConfiguredZone() {
        CollectingSink sink = read(String.join(
                "\r",
                "MSH|^~\\&|LIS|NORTH LAB|||20260115093000||ORU^R01|C1|P|2.3",
                "PID|1||4711^^^NORTH^MR",
                "OBR|1||A-1|2345-7^Glucose^LN|||20260115071500",
                "OBX|1|NM|2345-7^Glucose^LN||95|CD:289^mg/dl|70-99||||F|||20260115071600"));
        Hl7v2Adapter configured = adapter(Map.of("NORTH", "https://north.example/mrn"));
        CollectingSink configuredSink = new CollectingSink();
        read(
                configured,
                configuredSink,
                "MSH|^~\\&|LIS|NORTH LAB|||20260115093000||ORU^R01|C1|P|2.3\r"
                        + "PID|1||4711^^^NORTH^MR\rOBR|1||A-1|2345-7^Glucose^LN|||20260115071500\r"
                        + "OBX|1|NM|2345-7^Glucose^LN||95|CD:289^mg/dl|70-99||||F|||20260115071600");

        assertThat(sink.measurements).isEmpty();
        assertThat(sink.problems)
                .singleElement()
                .extracting(MeasurementProblem::recordId, MeasurementProblem::element)
                .containsExactly("A-1/2345-7", "patientIdentifier");
        Measurement glucose = configuredSink.measurements.get(0);
        assertThat(glucose.start()).isEqualTo(OffsetDateTime.parse("2026-01-15T07:16:00+01:00"));
        assertThat(glucose.patientIdentifier())
                .isEqualTo(new Measurement.PatientIdentifier("https://north.example/mrn", "4711"));
        assertThat(glucose.value()).isEqualTo(quantity("95", "mg/dl"));
        assertThat(glucose.lab().report().status()).isNull();
        assertThat(glucose.lab().report().code().display()).isEqualTo("Glucose");
    }

    @Test
    void read_rowsThatAreNotNumericOrNotKnown_becomeProblemsNeverGuesses() {
        CollectingSink sink = read(String.join(
                "\r",
                "MSH|^~\\&|LIS|RIVERSIDE LAB|||20260312101500+0100||ORU^R01|M3|P|2.5.1",
                "PID|1||MRN-1^^^RIVERSIDE&2.16.840.1.113883.3.9999.2&ISO^MR",
                "OBR|1||F-9|BMP^Basic metabolic panel^L|||20260312081000+0100|||||||||||||||||F",
                "OBX|1|TX|COMM^Comment^L||Specimen slightly hemolysed||||||F",
                "OBX|2|NM|ZZZ^Quux factor^L||3.1|mg/dL|||||F",
                "OBX|3|NM|GLU^Glucose^L||ninety|mg/dL|||||F",
                "OBX|4|NM|NA^Sodium^L||139|mmol/L||QQ|||F",
                "OBX|5|NM|K^Potassium^L||4.0|mmol/L||||X",
                "OBX|6|SN|CL^Chloride^L||^1^:^128|mmol/L|||||F",
                "OBX|7|NM|CA^Calcium^L||9.1|mg/dL|||||F",
                "OBX|8|NM|CA^Calcium^L||9.2|mg/dL|||||F"));

        assertThat(sink.measurements).extracting(Measurement::recordId).containsExactly("F-9/CA");
        assertThat(sink.problems)
                .extracting(MeasurementProblem::recordId, MeasurementProblem::element)
                .containsExactly(
                        tuple("F-9/COMM", "value"),
                        tuple("F-9/ZZZ", "code"),
                        tuple("F-9/GLU", "value"),
                        tuple("F-9/NA", "interpretation"),
                        tuple("F-9/K", "status"),
                        tuple("F-9/CL", "value"),
                        tuple("F-9/CA", "recordId"));
        assertThat(sink.problems.get(0).message()).contains("text result");
        assertThat(sink.problems.get(1).message()).contains("Quux factor").contains("matches no single analyte");
    }

    @Test
    void read_notHl7_malformedPayload() {
        assertThatThrownBy(() -> read("{\"resourceType\":\"Bundle\"}"))
                .isInstanceOf(FeedException.class)
                .hasMessageStartingWith("VGL-1201: the payload is not HL7 v2")
                .extracting(e -> ((FeedException) e).error())
                .isEqualTo(IngestionErrors.MALFORMED_PAYLOAD);
        assertThatThrownBy(() -> read("")).hasMessageStartingWith("VGL-1201: ");
    }

    @Test
    void read_brokenHeader_malformedPayloadWithTheParsersReason() {
        assertThatThrownBy(() -> read("MSH|^~\\&|LIS|LAB|||20260312||ORU^R01|M|P|9.9\rPID|1"))
                .isInstanceOf(FeedException.class)
                .hasMessageStartingWith("VGL-1201: message 1 is not HL7 v2: ")
                .hasMessageContaining("9.9");
    }

    @Test
    void read_anotherMessageType_unsupported() {
        assertThatThrownBy(() -> read("MSH|^~\\&|ADT|LAB|||20260312||ADT^A01|M|P|2.5.1\rPID|1||X"))
                .isInstanceOf(FeedException.class)
                .hasMessage("VGL-1202: message 1 is ADT^A01; the hl7v2 format reads ORU^R01 lab results only");
    }

    static String fixture(String name) {
        try (InputStream in = Hl7v2AdapterTest.class.getResourceAsStream("/hl7v2/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CollectingSink read(String payload) {
        CollectingSink sink = new CollectingSink();
        read(ADAPTER, sink, payload);
        return sink;
    }

    private static void read(Hl7v2Adapter reader, CollectingSink sink, String payload) {
        try {
            reader.read(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), sink);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Measurement byRecord(CollectingSink sink, String recordId) {
        return sink.measurements.stream()
                .filter(measurement -> measurement.recordId().equals(recordId))
                .findFirst()
                .orElseThrow();
    }

    private static Quantity quantity(String value, String unit) {
        return new Quantity(new BigDecimal(value), unit);
    }
}
