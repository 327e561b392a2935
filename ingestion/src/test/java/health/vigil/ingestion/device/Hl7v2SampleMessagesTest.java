package health.vigil.ingestion.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import health.vigil.ingestion.api.Measurement;
import health.vigil.ingestion.api.Measurement.Interpretation;
import health.vigil.ingestion.api.Measurement.ResultStatus;
import health.vigil.ingestion.api.MeasurementProblem;
import health.vigil.terminology.api.Terminology;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ORU^R01 messages that no one here wrote, from npm packages' test data (simple-hl7 3.3.0, MIT;
 * hl7-standard 1.0.4, Apache-2.0), fetched at build time by {@code src/test/scripts/fetch-hl7v2-samples.sh}
 * into {@code vigil.test.data}. Both are version 2.3, end segments with CR, and name their patients'
 * assigning authorities without OIDs, so these tests configure them.
 */
class Hl7v2SampleMessagesTest {

    private static final Path SAMPLES =
            Path.of(System.getProperty("vigil.test.data", "target/test-data")).resolve("hl7v2-samples");
    private static final Hl7v2Adapter ADAPTER = Hl7v2AdapterTest.adapter(
            Map.of("Priority Health", "https://priorityhealth.example/member", "1", "https://someclinic.example/mrn"));

    /** A lipid panel with the lab's own codes and names ("HDL Cholesterol (CAD)"): none is guessed. */
    @Test
    void read_simpleHl7LipidPanel_localNamesTheCatalogueDoesNotKnowAreProblemsOnly() throws IOException {
        CollectingSink sink = read("simple-hl7-oru.hl7");

        assertThat(sink.measurements).isEmpty();
        assertThat(sink.problems)
                .extracting(MeasurementProblem::recordId, MeasurementProblem::element)
                .containsExactly(
                        tuple("185L29839X64489JLPF/JHDL/1", "code"),
                        tuple("185L29839X64489JLPF/JTRIG/1", "code"),
                        tuple("185L29839X64489JLPF/JVLDL/1", "code"),
                        tuple("185L29839X64489JLPF/JLDL/1", "code"),
                        tuple("185L29839X64489JLPF/JCHO/1", "code"));
        assertThat(sink.problems.get(0).message())
                .isEqualTo("OBX-3 JHDL 'HDL Cholesterol (CAD)' is not LOINC and matches no single analyte: "
                        + "name not recognised");
    }

    /**
     * A blood count with LOINC codes and flags. Its MSH-2 is {@code ^~ &}: the escape character is a
     * space, so the parser reads texts with spaces as escapes, as the header tells it to; codes, values
     * and flags are unaffected.
     */
    @Test
    void read_hl7StandardBloodCount_loincResultReadLocalOneWithUnknownUnitRefused() throws IOException {
        CollectingSink sink = read("hl7-standard-oru.hl7");

        Measurement leukocytes = sink.measurements.get(0);
        assertThat(sink.measurements).hasSize(1);
        assertThat(leukocytes.code()).isEqualTo("6690-2");
        assertThat(leukocytes.sourceCode().code()).isEqualTo("WBC");
        assertThat(leukocytes.value()).isEqualTo(new Measurement.Quantity(new BigDecimal("11.8"), "10(9)/L"));
        assertThat(leukocytes.source()).isEqualTo("hl7v2/SomeFacility");
        assertThat(leukocytes.recordId()).isEqualTo("201103290820062979/WBC/0");
        assertThat(leukocytes.patientIdentifier())
                .isEqualTo(new Measurement.PatientIdentifier("https://someclinic.example/mrn", "151615161"));
        assertThat(leukocytes.start()).isEqualTo(OffsetDateTime.parse("2011-03-29T08:17:00+02:00"));
        assertThat(leukocytes.lab().interpretation()).isEqualTo(Interpretation.H);
        assertThat(leukocytes.lab().status()).isEqualTo(ResultStatus.FINAL);
        assertThat(leukocytes.lab().referenceRange().low()).isEqualByComparingTo("3.8");
        assertThat(leukocytes.lab().referenceRange().high()).isEqualByComparingTo("11.2");
        assertThat(leukocytes.lab().report().id()).isEqualTo("201103290820062979");
        assertThat(leukocytes.lab().report().observed()).isEqualTo(OffsetDateTime.parse("2011-03-29T04:51:00+02:00"));
        assertThat(leukocytes.lab().report().status()).isEqualTo(ResultStatus.FINAL);

        assertThat(sink.problems).singleElement().satisfies(problem -> {
            assertThat(problem.recordId()).isEqualTo("201103290820062979/RBC/0");
            assertThat(problem.message()).contains("'10(12)/L' is not a UCUM unit");
        });
        // 10(9)/L is a spelling of 10*9/L that the terminology does not know: the mapper refuses it.
        ObservationMapper.Result mapped = new ObservationMapper(Terminology.load()).map(leukocytes.withPatientId("p1"));
        assertThat(mapped).isInstanceOf(ObservationMapper.Result.Rejected.class);
        assertThat(((ObservationMapper.Result.Rejected) mapped).problems())
                .extracting(MeasurementProblem::element)
                .containsExactly("value", "referenceRange");
    }

    private static CollectingSink read(String name) throws IOException {
        CollectingSink sink = new CollectingSink();
        try (InputStream in = Files.newInputStream(SAMPLES.resolve(name))) {
            ADAPTER.read(in, sink);
        }
        return sink;
    }
}
