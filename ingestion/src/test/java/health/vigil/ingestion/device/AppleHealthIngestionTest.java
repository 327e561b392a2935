package health.vigil.ingestion.device;

import static health.vigil.ingestion.device.DeviceTemplatesTest.TERMINOLOGY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import health.vigil.ingestion.api.FeedFormat;
import health.vigil.ingestion.api.IngestionPlan;
import health.vigil.ingestion.api.IngestionRequest;
import health.vigil.ingestion.api.PatientDirectory;
import health.vigil.terminology.api.DeviceVocabulary;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/** An Apple Health export through the whole pipeline: the FHIR it becomes, field by field. */
class AppleHealthIngestionTest {

    private static final String BASE = "https://vigil.example/fhir";
    private static final String HEALTHKIT = DeviceVocabulary.HEALTHKIT.system();

    private final DeviceIngestionService service = new DeviceIngestionService(
            List.of(new AppleHealthAdapter(TERMINOLOGY.deviceCodes(), 64L << 20)),
            List.of(),
            new DeviceTemplates(TERMINOLOGY),
            new ObservationMapper(TERMINOLOGY),
            1000,
            null);

    private static final PatientDirectory NOBODY = new PatientDirectory() {
        @Override
        public Optional<String> patientWithIdentifier(String system, String value) {
            return Optional.empty();
        }

        @Override
        public Optional<String> patientOfDevice(String deviceId) {
            return Optional.empty();
        }
    };

    private IngestionPlan plan(byte[] payload, String contentType) {
        return service.plan(new IngestionRequest(payload, contentType, null, "p1", null, null, BASE), NOBODY);
    }

    @Test
    void plan_export_oneObservationPerSampleAndTheSkippedKindsReported() {
        IngestionPlan plan = plan(AppleHealthAdapterTest.export(), "application/xml");

        assertThat(plan.format()).isEqualTo(FeedFormat.APPLE_HEALTH);
        assertThat(plan.complete()).isTrue();
        assertThat(plan.measurements()).hasSize(16);
        assertThat(plan.observations()).isEqualTo(15); // the heart rate written twice is one
        assertThat(plan.skippedCount()).isEqualTo(6);
        OperationOutcome report = plan.report(OperationOutcome.IssueSeverity.ERROR);
        assertThat(report.getIssue())
                .extracting(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics)
                .contains(
                        "16 measurements read as apple-health, 15 Observations, 0 problems, 6 records skipped",
                        "skipped 2 HKQuantityTypeIdentifierActiveEnergyBurned records: Vigil stores no Observation"
                                + " for this kind");
    }

    @Test
    void plan_export_observationsCarryLoincThenHealthKitCodesUcumUnitsAndTheExportsOffsets() {
        List<Observation> observations = resources(
                plan(AppleHealthAdapterTest.export(), "application/xml").transaction(), Observation.class);

        assertThat(observations)
                .extracting(
                        o -> o.getCode().getCodingFirstRep().getCode(),
                        o -> o.getCode().getCoding().get(1).getSystem() + "|"
                                + o.getCode().getCoding().get(1).getCode(),
                        o -> o.hasValueQuantity()
                                ? o.getValueQuantity().getValue().toPlainString()
                                : null,
                        o -> o.hasValueQuantity() ? o.getValueQuantity().getCode() : null)
                .containsExactly(
                        tuple("8302-2", HEALTHKIT + "|HKQuantityTypeIdentifierHeight", "5.41667", "[ft_i]"),
                        tuple("29463-7", HEALTHKIT + "|HKQuantityTypeIdentifierBodyMass", "143.6", "[lb_av]"),
                        tuple("39156-5", HEALTHKIT + "|HKQuantityTypeIdentifierBodyMassIndex", "23.9", "kg/m2"),
                        tuple("41982-0", HEALTHKIT + "|HKQuantityTypeIdentifierBodyFatPercentage", "28.4", "%"),
                        tuple("8867-4", HEALTHKIT + "|HKQuantityTypeIdentifierHeartRate", "64", "/min"),
                        tuple("8867-4", HEALTHKIT + "|HKQuantityTypeIdentifierHeartRate", "71.5", "/min"),
                        tuple("40443-4", HEALTHKIT + "|HKQuantityTypeIdentifierRestingHeartRate", "58", "/min"),
                        tuple(
                                "80404-7",
                                HEALTHKIT + "|HKQuantityTypeIdentifierHeartRateVariabilitySDNN",
                                "42.7312",
                                "ms"),
                        tuple("59408-5", HEALTHKIT + "|HKQuantityTypeIdentifierOxygenSaturation", "96", "%"),
                        tuple("9279-1", HEALTHKIT + "|HKQuantityTypeIdentifierRespiratoryRate", "14.5", "/min"),
                        tuple("8310-5", HEALTHKIT + "|HKQuantityTypeIdentifierBodyTemperature", "99.1", "[degF]"),
                        tuple("2339-0", HEALTHKIT + "|HKQuantityTypeIdentifierBloodGlucose", "104", "mg/dL"),
                        tuple("55423-8", HEALTHKIT + "|HKQuantityTypeIdentifierStepCount", "1184", "{steps}"),
                        tuple("85354-9", HEALTHKIT + "|HKCorrelationTypeIdentifierBloodPressure", null, null),
                        tuple("8480-6", HEALTHKIT + "|HKQuantityTypeIdentifierBloodPressureSystolic", "131", "mm[Hg]"));
        Observation heartRate = observations.get(4);
        assertThat(heartRate.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2024-03-05T07:19:54+01:00");
        assertThat(heartRate.getDevice().getReference()).isNull();
        assertThat(heartRate.getDevice().getDisplay()).isEqualTo("Apple Watch (Watch, Watch6,1)");
        assertThat(heartRate.getSubject().getReference()).isEqualTo("Patient/p1");
        assertThat(heartRate.getCategoryFirstRep().getCodingFirstRep().getCode())
                .isEqualTo("vital-signs");
        assertThat(heartRate.getIdentifierFirstRep().getValue())
                .startsWith("apple-health/HeartRate/2024-03-05T07:19:54+0100/");
        Observation temperature = observations.get(10);
        assertThat(temperature.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2024-03-04T19:02:00-05:00");
        Observation steps = observations.get(12);
        assertThat(steps.getEffectivePeriod().getStartElement().getValueAsString())
                .isEqualTo("2024-03-05T08:02:12+01:00");
        assertThat(steps.getEffectivePeriod().getEndElement().getValueAsString())
                .isEqualTo("2024-03-05T08:12:50+01:00");
        Observation bloodPressure = observations.get(13);
        assertThat(bloodPressure.getComponent())
                .extracting(
                        c -> c.getCode().getCodingFirstRep().getCode(),
                        c -> c.getValueQuantity().getValue().toPlainString(),
                        c -> c.getValueQuantity().getCode())
                .containsExactly(tuple("8480-6", "128", "mm[Hg]"), tuple("8462-4", "82", "mm[Hg]"));
        assertThat(R4Validation.errors(
                        plan(AppleHealthAdapterTest.export(), "application/xml").transaction()))
                .isEmpty();
    }

    @Test
    void plan_export_identifiedDevicesBecomeDevicesAndProvenanceNamesEveryDevice() {
        Bundle transaction =
                plan(AppleHealthAdapterTest.export(), "application/xml").transaction();
        List<Observation> observations = resources(transaction, Observation.class);
        List<Device> devices = resources(transaction, Device.class);

        assertThat(devices)
                .extracting(d -> d.getIdentifierFirstRep().getSystem(), d -> d.getIdentifierFirstRep()
                        .getValue())
                .containsExactly(
                        tuple(AppleHealthAdapter.DEVICE_SYSTEM, "00:24:e4:7a:1c:08"),
                        tuple(AppleHealthAdapter.DEVICE_SYSTEM, "00:24:e4:8b:02:3f"));
        assertThat(observations.get(13).getDevice().getReference())
                .isEqualTo("Device/" + devices.get(1).getIdElement().getIdPart());
        Provenance provenance = resources(transaction, Provenance.class).get(0);
        assertThat(provenance.getTarget()).hasSize(15);
        assertThat(provenance.getAgent())
                .extracting(agent -> agent.getWho().hasReference()
                        ? agent.getWho().getReference()
                        : agent.getWho().getDisplay())
                .containsExactly(
                        "Device/" + devices.get(0).getIdElement().getIdPart(),
                        "Device/" + devices.get(1).getIdElement().getIdPart(),
                        "Apple Watch (Watch, Watch6,1)",
                        "iPhone (iPhone14,5)");
        assertThat(provenance.getEntityFirstRep().getWhat().getReference()).startsWith("Binary/");
    }

    @Test
    void plan_exportZip_theSameObservationsAsItsExportXml() {
        byte[] zip = AppleHealthAdapterTest.zip(
                Map.entry("apple_health_export/export.xml", AppleHealthAdapterTest.export()));

        IngestionPlan fromZip = plan(zip, "application/zip");
        IngestionPlan fromXml = plan(AppleHealthAdapterTest.export(), "application/xml");

        assertThat(fromZip.format()).isEqualTo(FeedFormat.APPLE_HEALTH);
        assertThat(ids(fromZip.transaction(), Observation.class))
                .isEqualTo(ids(fromXml.transaction(), Observation.class));
    }

    @Test
    void plan_impossibleValue_rejectedByTheMapperWithTheRecordsId() {
        IngestionPlan plan = plan(
                AppleHealthAdapterTest.healthData(AppleHealthAdapterTest.record(
                        "HKQuantityTypeIdentifierHeartRate", "count/min", "900", "2024-03-05 07:19:54 +0100")),
                "text/xml");

        assertThat(plan.complete()).isFalse();
        assertThat(plan.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.recordId()).startsWith("HeartRate/2024-03-05T07:19:54+0100/");
            assertThat(problem.message()).contains("is not possible");
        });
    }

    private static <T extends Resource> List<T> resources(Bundle bundle, Class<T> type) {
        return bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    private static List<String> ids(Bundle bundle, Class<? extends Resource> type) {
        return resources(bundle, type).stream()
                .map(r -> r.getIdElement().getIdPart())
                .toList();
    }
}
