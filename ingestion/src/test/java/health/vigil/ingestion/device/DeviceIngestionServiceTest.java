package health.vigil.ingestion.device;

import static health.vigil.ingestion.device.DeviceTemplatesTest.TERMINOLOGY;
import static health.vigil.ingestion.device.DeviceTemplatesTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import ca.uhn.fhir.context.FhirContext;
import health.vigil.ingestion.api.FeedException;
import health.vigil.ingestion.api.FeedFormat;
import health.vigil.ingestion.api.IngestionErrors;
import health.vigil.ingestion.api.IngestionPlan;
import health.vigil.ingestion.api.IngestionRequest;
import health.vigil.ingestion.api.Measurement;
import health.vigil.ingestion.api.MeasurementProblem;
import health.vigil.ingestion.api.PatientDirectory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

class DeviceIngestionServiceTest {

    private static final String BASE = "https://vigil.example/fhir";
    private static final String BAND =
            ObservationMapper.deviceId(new Measurement.DeviceIdentity("urn:acme:serial", "WB-0042", null));

    private final DeviceTemplates templates = new DeviceTemplates(TERMINOLOGY);
    private final DeviceIngestionService service = new DeviceIngestionService(
            List.of(),
            templates.read("acme", DeviceTemplatesTest.acmeTemplates()),
            templates,
            new ObservationMapper(TERMINOLOGY),
            1000,
            null);
    private final Directory directory = new Directory();

    @Test
    void plan_forRequestPatient_mapsEveryRecordToThatPatient() {
        IngestionPlan plan = service.plan(request(TemplateJsonAdapterTest.acmeMessages(), "p1"), directory);

        assertThat(plan.format()).isEqualTo(FeedFormat.TEMPLATE_JSON);
        assertThat(plan.complete()).isTrue();
        assertThat(plan.observations()).isEqualTo(3);
        assertThat(plan.measurements()).extracting(Measurement::patientId).containsOnly("p1");
        assertThat(resources(plan, Observation.class))
                .extracting(observation -> observation.getSubject().getReference())
                .containsOnly("Patient/p1");
        assertThat(resources(plan, Device.class))
                .extracting(device -> device.getIdentifierFirstRep().getValue(), device -> device.getPatient()
                        .getReference())
                .containsExactly(tuple("WB-0042", "Patient/p1"), tuple("CUFF-9", "Patient/p1"));
    }

    @Test
    void plan_twice_isTheSameTransaction() {
        FhirContext fhir = FhirContext.forR4Cached();
        IngestionPlan first = service.plan(request(TemplateJsonAdapterTest.acmeMessages(), "p1"), directory);
        IngestionPlan second = service.plan(request(TemplateJsonAdapterTest.acmeMessages(), "p1"), directory);

        assertThat(fhir.newJsonParser().encodeResourceToString(second.transaction()))
                .isEqualTo(fhir.newJsonParser().encodeResourceToString(first.transaction()));
    }

    @Test
    void plan_withoutRequestPatient_takesIdentifierThenDeviceLink() {
        directory.patients.put("urn:acme:member|A-77", "p7");
        directory.devices.put(BAND, "p7");

        IngestionPlan plan = service.plan(request(TemplateJsonAdapterTest.acmeMessages(), null), directory);

        assertThat(plan.problems()).isEmpty();
        assertThat(plan.measurements()).extracting(Measurement::patientId).containsExactly("p7", "p7", "p7");
    }

    @Test
    void plan_unknownPatientOrUnlinkedDevice_isAProblemForThatRecordOnly() {
        IngestionPlan plan = service.plan(request(TemplateJsonAdapterTest.acmeMessages(), null), directory);

        assertThat(plan.complete()).isFalse();
        assertThat(plan.measurements()).isEmpty();
        assertThat(plan.transaction()).isNull();
        assertThat(plan.problems())
                .extracting(MeasurementProblem::recordId, MeasurementProblem::element, MeasurementProblem::message)
                .containsExactly(
                        tuple("m-1001", "patient", "no patient has identifier urn:acme:member|A-77"),
                        tuple(
                                "CUFF-9/2026-11-30T06:20:00Z",
                                "patient",
                                "no patient has identifier urn:acme:member|A-77"),
                        tuple(
                                "WB-0042/2026-11-30T06:00:00Z",
                                "patient",
                                "the record names no patient and its device is linked to none; ingest it as "
                                        + "Patient/{id}/$ingest or link the device"));
    }

    @Test
    void plan_deviceOfAnotherPatient_isRefusedWithoutNamingThem() {
        directory.devices.put(BAND, "someone-else");

        IngestionPlan plan = service.plan(request(TemplateJsonAdapterTest.acmeMessages(), "p1"), directory);

        assertThat(plan.problems())
                .extracting(MeasurementProblem::element, MeasurementProblem::message)
                .containsExactly(
                        tuple("device", "device urn:acme:serial|WB-0042 is linked to another patient than Patient/p1"),
                        tuple("device", "device urn:acme:serial|WB-0042 is linked to another patient than Patient/p1"));
        assertThat(plan.problems().toString()).doesNotContain("someone-else");
        assertThat(plan.measurements()).extracting(Measurement::code).containsExactly("85354-9");
    }

    @Test
    void plan_recordNamingAnotherPatientThanTheRequest_isRefused() {
        directory.patients.put("urn:acme:member|A-77", "p7");

        IngestionPlan plan = service.plan(request(TemplateJsonAdapterTest.acmeMessages(), "p1"), directory);

        assertThat(plan.problems())
                .extracting(MeasurementProblem::message)
                .containsOnly("the record names patient urn:acme:member|A-77, who is another patient than Patient/p1");
        assertThat(plan.measurements()).extracting(Measurement::code).containsExactly("55423-8");
    }

    @Test
    void plan_impossibleValue_isAProblemFromTheMapper() {
        byte[] payload = json(
                """
                {"msgId": "z", "type": "hr", "serial": "WB-1", "at": "2026-11-30T07:15:00Z", "bpm": 900}
                """);

        IngestionPlan plan = service.plan(request(payload, "p1"), directory);

        assertThat(plan.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.recordId()).isEqualTo("z");
            assertThat(problem.message()).contains("900").contains("is not possible");
        });
    }

    @Test
    void plan_requestTemplates_areTriedBeforeConfiguredOnes() {
        byte[] own = json(
                """
                {"name": "own-hr", "match": "$[?(@.type == 'hr')]", "recordId": "$.msgId", "time": "$.at",
                 "code": "8867-4", "value": "$.bpm", "unit": "/min"}
                """);
        byte[] payload = json(
                """
                {"msgId": "q", "type": "hr", "serial": "WB-1", "at": "2026-11-30T07:15:00Z", "bpm": 61}
                """);

        IngestionPlan plan = service.plan(
                new IngestionRequest(payload, "application/json", null, "p1", own, "Binary/own", BASE), directory);

        assertThat(plan.measurements()).singleElement().satisfies(measurement -> {
            assertThat(measurement.source()).isEqualTo("template/own-hr");
            assertThat(measurement.device()).isNull();
        });
    }

    @Test
    void plan_formatFromContentType() {
        byte[] openMHealth = json(
                """
                [{"header": {"uuid": "u", "schema_id": {"namespace": "omh", "name": "heart-rate", "version": "2.0"}},
                  "body": {}}]
                """);

        assertThatThrownBy(() -> service.plan(request(openMHealth, "p1"), directory))
                .isInstanceOf(FeedException.class)
                .hasMessage("VGL-1202: the open-mhealth format is not enabled");
        assertThatThrownBy(() -> service.plan(
                        new IngestionRequest(json("a,b"), "text/csv", null, "p1", null, null, BASE), directory))
                .isInstanceOf(FeedException.class)
                .satisfies(e -> assertThat(((FeedException) e).error()).isEqualTo(IngestionErrors.UNSUPPORTED_FORMAT))
                .hasMessageContaining("content type 'text/csv'");
    }

    @Test
    void plan_moreRecordsThanAllowed_refusedWholeAsTooLarge() {
        DeviceIngestionService small = new DeviceIngestionService(
                List.of(),
                templates.read("acme", DeviceTemplatesTest.acmeTemplates()),
                templates,
                new ObservationMapper(TERMINOLOGY),
                2,
                null);

        assertThatThrownBy(() -> small.plan(request(TemplateJsonAdapterTest.acmeMessages(), "p1"), directory))
                .isInstanceOfSatisfying(
                        FeedException.class, e -> assertThat(e.error()).isEqualTo(IngestionErrors.PAYLOAD_TOO_LARGE))
                .hasMessageContaining("more than 2 records (vigil.ingestion.max-records)");
    }

    private static IngestionRequest request(byte[] payload, String patientId) {
        return new IngestionRequest(payload, "application/json; charset=utf-8", null, patientId, null, null, BASE);
    }

    private static <T> List<T> resources(IngestionPlan plan, Class<T> type) {
        return plan.transaction().getEntry().stream()
                .map(entry -> entry.getResource())
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    private static final class Directory implements PatientDirectory {
        final Map<String, String> patients = new HashMap<>();
        final Map<String, String> devices = new HashMap<>();

        @Override
        public Optional<String> patientWithIdentifier(String system, String value) {
            return Optional.ofNullable(patients.get(system + "|" + value));
        }

        @Override
        public Optional<String> patientOfDevice(String deviceId) {
            return Optional.ofNullable(devices.get(deviceId));
        }
    }
}
