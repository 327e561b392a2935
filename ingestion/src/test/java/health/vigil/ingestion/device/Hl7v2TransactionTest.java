package health.vigil.ingestion.device;

import static org.assertj.core.api.Assertions.assertThat;

import health.vigil.ingestion.api.Measurement;
import health.vigil.ingestion.device.IngestionTransaction.Item;
import health.vigil.terminology.api.Terminology;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An ORU^R01 message through the adapter, the mapper and the transaction. */
class Hl7v2TransactionTest {

    private static final String BASE = "https://fhir.example.org/fhir";
    private static final String MEDIA_TYPE = "x-application/hl7-v2+er7";
    private static final String INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

    private static ObservationMapper mapper;

    @BeforeAll
    static void load() {
        mapper = new ObservationMapper(Terminology.load());
    }

    @Test
    void of_golden_labObservationsWithRangesFlagsAndStatus() {
        Bundle transaction = transaction("oru-r01-cbc-bmp.hl7");

        List<Observation> observations = resources(transaction, Observation.class);
        assertThat(observations).hasSize(14).allSatisfy(observation -> {
            assertThat(observation.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
            assertThat(observation.getCategoryFirstRep().getCodingFirstRep().getCode())
                    .isEqualTo("laboratory");
            assertThat(observation.getSubject().getReference()).isEqualTo("Patient/p1");
            assertThat(observation.getEffectiveDateTimeType().getValueAsString())
                    .isEqualTo("2026-03-12T08:10:00+01:00");
            assertThat(observation.getIssued())
                    .isEqualTo(Date.from(
                            OffsetDateTime.parse("2026-03-12T10:05:00+01:00").toInstant()));
            assertThat(observation.hasDevice()).isFalse();
        });

        Observation leukocytes = observations.get(0);
        assertThat(leukocytes.getCode().getCoding())
                .extracting(coding -> coding.getSystem() + "|" + coding.getCode())
                .containsExactly("http://loinc.org|6690-2");
        assertThat(leukocytes.getValueQuantity().getValue()).isEqualByComparingTo("11.8");
        assertThat(leukocytes.getValueQuantity().getCode()).isEqualTo("10*3/uL");
        Observation.ObservationReferenceRangeComponent range = leukocytes.getReferenceRangeFirstRep();
        assertThat(range.getLow().getValue()).isEqualByComparingTo("4.0");
        assertThat(range.getHigh().getValue()).isEqualByComparingTo("10.0");
        assertThat(range.getLow().getSystem()).isEqualTo("http://unitsofmeasure.org");
        assertThat(range.getHigh().getCode()).isEqualTo("10*3/uL");
        assertThat(range.getText()).isEqualTo("4.0-10.0");
        assertThat(leukocytes.getInterpretationFirstRep().getCodingFirstRep()).satisfies(flag -> {
            assertThat(flag.getSystem()).isEqualTo(INTERPRETATION);
            assertThat(flag.getCode()).isEqualTo("H");
            assertThat(flag.getDisplay()).isEqualTo("High");
        });
        assertThat(leukocytes.getIdentifierFirstRep().getValue()).isEqualTo("hl7v2/RIVERSIDE LAB/F-55021/6690-2");

        Observation basophils = observations.get(5);
        assertThat(basophils.getValueQuantity().getComparator()).isEqualTo(Quantity.QuantityComparator.LESS_THAN);
        assertThat(basophils.getReferenceRangeFirstRep().hasLow()).isFalse();
        assertThat(basophils.getReferenceRangeFirstRep().getHigh().getValue()).isEqualByComparingTo("0.2");
        assertThat(basophils.hasInterpretation()).isFalse();

        Observation glucose = observations.get(6);
        assertThat(glucose.getCode().getCoding())
                .extracting(coding -> coding.getSystem() + "|" + coding.getCode())
                .containsExactly("http://loinc.org|2345-7", Hl7v2AdapterTest.LAB_CODES + "|GLU");
        assertThat(glucose.getValueQuantity().getCode()).isEqualTo("mg/dL");
    }

    @Test
    void of_golden_oneDiagnosticReportPerOrderTargetedByTheProvenance() {
        Bundle transaction = transaction("oru-r01-cbc-bmp.hl7");

        assertThat(transaction.getEntry())
                .extracting(entry -> entry.getResource().fhirType())
                .containsSubsequence("Binary", "Observation", "DiagnosticReport", "DiagnosticReport", "Provenance")
                .doesNotContain("Device");
        List<Observation> observations = resources(transaction, Observation.class);
        List<DiagnosticReport> reports = resources(transaction, DiagnosticReport.class);
        assertThat(reports).hasSize(2);

        DiagnosticReport bloodCount = reports.get(0);
        assertThat(bloodCount.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.FINAL);
        assertThat(bloodCount.getCategoryFirstRep().getCodingFirstRep().getSystem())
                .isEqualTo("http://terminology.hl7.org/CodeSystem/v2-0074");
        assertThat(bloodCount.getCategoryFirstRep().getCodingFirstRep().getCode())
                .isEqualTo("LAB");
        assertThat(bloodCount.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://loinc.org");
        assertThat(bloodCount.getCode().getCodingFirstRep().getCode()).isEqualTo("58410-2");
        assertThat(bloodCount.getSubject().getReference()).isEqualTo("Patient/p1");
        assertThat(bloodCount.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2026-03-12T08:10:00+01:00");
        assertThat(bloodCount.getIssued())
                .isEqualTo(Date.from(
                        OffsetDateTime.parse("2026-03-12T10:05:00+01:00").toInstant()));
        assertThat(bloodCount.getPerformerFirstRep().getDisplay()).isEqualTo("RIVERSIDE LAB");
        assertThat(bloodCount.getIdentifierFirstRep().getValue()).isEqualTo("hl7v2/RIVERSIDE LAB/F-55021");
        assertThat(bloodCount.getResult())
                .extracting(Reference::getReference)
                .containsExactlyElementsOf(references(observations.subList(0, 6)));
        DiagnosticReport metabolic = reports.get(1);
        assertThat(metabolic.getCode().getCodingFirstRep().getSystem()).isEqualTo(Hl7v2AdapterTest.LAB_CODES);
        assertThat(metabolic.getCode().getCodingFirstRep().getCode()).isEqualTo("BMP");
        assertThat(metabolic.getResult())
                .extracting(Reference::getReference)
                .containsExactlyElementsOf(references(observations.subList(6, 14)));

        Provenance provenance = resources(transaction, Provenance.class).get(0);
        assertThat(provenance.getTarget())
                .extracting(Reference::getReference)
                .containsExactlyElementsOf(references(transaction.getEntry().stream()
                        .map(Bundle.BundleEntryComponent::getResource)
                        .filter(resource -> resource instanceof Observation || resource instanceof DiagnosticReport)
                        .toList()));
        assertThat(provenance.getAgent())
                .extracting(agent -> agent.getWho().getDisplay())
                .containsExactly("RIVERSIDE LAB");
        assertThat(provenance.getEntityFirstRep().getWhat().getReference())
                .isEqualTo("Binary/"
                        + transaction
                                .getEntryFirstRep()
                                .getResource()
                                .getIdElement()
                                .getIdPart());
    }

    @Test
    void of_golden_everyResourceIsValidR4() {
        assertThat(R4Validation.errors(transaction("oru-r01-cbc-bmp.hl7"))).isEmpty();
        assertThat(R4Validation.errors(transaction("oru-r01-cbc-bmp-corrected.hl7")))
                .isEmpty();
    }

    @Test
    void of_correctedResultResent_updatesTheSameObservationAndReport() {
        Bundle original = transaction("oru-r01-cbc-bmp.hl7");
        Bundle corrected = transaction("oru-r01-cbc-bmp-corrected.hl7");

        assertThat(ids(corrected, Observation.class)).isEqualTo(ids(original, Observation.class));
        assertThat(ids(corrected, DiagnosticReport.class)).isEqualTo(ids(original, DiagnosticReport.class));
        assertThat(ids(corrected, Provenance.class)).isNotEqualTo(ids(original, Provenance.class));
        Observation glucose = resources(corrected, Observation.class).get(6);
        assertThat(glucose.getStatus()).isEqualTo(Observation.ObservationStatus.CORRECTED);
        assertThat(glucose.getValueQuantity().getValue()).isEqualByComparingTo("128");
        assertThat(resources(corrected, Observation.class).get(7).getStatus())
                .isEqualTo(Observation.ObservationStatus.FINAL);
        DiagnosticReport metabolic =
                resources(corrected, DiagnosticReport.class).get(1);
        assertThat(metabolic.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.CORRECTED);
        assertThat(metabolic.getIssued())
                .isEqualTo(Date.from(
                        OffsetDateTime.parse("2026-03-12T14:25:00+01:00").toInstant()));
    }

    @Test
    void of_reportWithoutStatus_takesTheLeastSettledOfItsResults() {
        Measurement.Report report = new Measurement.Report(
                "A-1", new Measurement.SourceCode("http://loinc.org", "24323-8", "CMP"), null, null, null, null, null);
        Item finalResult = item(lab("2951-2", "139", "mmol/L", Measurement.ResultStatus.FINAL, report));
        Item preliminary = item(lab("2823-3", "4.1", "mmol/L", Measurement.ResultStatus.PRELIMINARY, report));

        Bundle transaction = IngestionTransaction.of(
                BASE, "x".getBytes(StandardCharsets.UTF_8), MEDIA_TYPE, List.of(finalResult, preliminary));

        DiagnosticReport diagnosticReport =
                resources(transaction, DiagnosticReport.class).get(0);
        assertThat(diagnosticReport.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.PRELIMINARY);
        assertThat(diagnosticReport.getEffectiveDateTimeType().getValueAsString())
                .isEqualTo("2026-03-12T08:10:00+01:00");
        assertThat(R4Validation.errors(transaction)).isEmpty();
    }

    @Test
    void map_labResultWithRangeInAnUnknownUnit_rejected() {
        Measurement sodium = lab("2951-2", "139", "mmol/L", Measurement.ResultStatus.FINAL, null);
        Measurement.ReferenceRange range =
                new Measurement.ReferenceRange(new BigDecimal("136"), new BigDecimal("145"), "mEq/Lx", "136-145");
        Measurement withRange = new Measurement(
                sodium.code(),
                null,
                sodium.value(),
                sodium.start(),
                null,
                null,
                "p1",
                null,
                sodium.source(),
                sodium.recordId(),
                new Measurement.Lab(null, range, null, Measurement.ResultStatus.FINAL, null));

        assertThat(mapper.map(withRange)).isInstanceOf(ObservationMapper.Result.Rejected.class);
    }

    private static Measurement lab(
            String code, String value, String unit, Measurement.ResultStatus status, Measurement.Report report) {
        return new Measurement(
                code,
                null,
                new Measurement.Quantity(new BigDecimal(value), unit),
                OffsetDateTime.parse("2026-03-12T08:10:00+01:00"),
                null,
                null,
                "p1",
                null,
                "hl7v2/LAB",
                "A-1/" + code,
                new Measurement.Lab(null, null, null, status, report));
    }

    private static Bundle transaction(String fixture) {
        String payload = Hl7v2AdapterTest.fixture(fixture);
        CollectingSink sink = Hl7v2AdapterTest.read(payload);
        assertThat(sink.problems).isEmpty();
        List<Item> items = sink.measurements.stream()
                .map(measurement -> item(measurement.withPatientId("p1")))
                .toList();
        return IngestionTransaction.of(BASE, payload.getBytes(StandardCharsets.UTF_8), MEDIA_TYPE, items);
    }

    private static Item item(Measurement measurement) {
        ObservationMapper.Result result = mapper.map(measurement);
        assertThat(result).isInstanceOf(ObservationMapper.Result.Mapped.class);
        return new Item(measurement, ((ObservationMapper.Result.Mapped) result).observation());
    }

    private static <T extends Resource> List<T> resources(Bundle transaction, Class<T> type) {
        return transaction.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    private static List<String> ids(Bundle transaction, Class<? extends Resource> type) {
        return resources(transaction, type).stream()
                .map(resource -> resource.getIdElement().getIdPart())
                .toList();
    }

    private static List<String> references(List<? extends Resource> resources) {
        return resources.stream()
                .map(resource ->
                        resource.fhirType() + "/" + resource.getIdElement().getIdPart())
                .toList();
    }
}
