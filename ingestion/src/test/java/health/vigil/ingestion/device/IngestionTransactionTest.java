package health.vigil.ingestion.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import health.vigil.ingestion.api.Measurement;
import health.vigil.ingestion.api.Measurement.Component;
import health.vigil.ingestion.api.Measurement.Components;
import health.vigil.ingestion.api.Measurement.DeviceIdentity;
import health.vigil.ingestion.device.IngestionTransaction.Item;
import health.vigil.terminology.api.Terminology;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IngestionTransactionTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final OffsetDateTime MORNING = OffsetDateTime.parse("2026-11-30T07:15:00+02:00");
    private static final DeviceIdentity WATCH = new DeviceIdentity("https://example.org/devices", "watch-17", "Watch");
    private static final DeviceIdentity SCALE = new DeviceIdentity("https://example.org/devices", "scale-3", null);
    private static final String BASE = "https://fhir.example.org/fhir";
    private static final byte[] PAYLOAD = "{\"feed\":\"morning\"}".getBytes(StandardCharsets.UTF_8);

    private static ObservationMapper mapper;

    @BeforeAll
    static void load() {
        mapper = new ObservationMapper(Terminology.load());
    }

    @Test
    void of_batch_isOneTransactionOfPutsWithPayloadDevicesObservationsAndProvenance() {
        Bundle transaction = IngestionTransaction.of(BASE, PAYLOAD, "application/json", batch());

        assertThat(transaction.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        assertThat(transaction.getEntry())
                .extracting(entry -> entry.getResource().fhirType())
                .containsExactly(
                        "Binary", "Device", "Device", "Observation", "Observation", "Observation", "Provenance");
        assertThat(transaction.getEntry()).allSatisfy(entry -> {
            assertThat(entry.getFullUrl())
                    .isEqualTo(BASE + "/" + entry.getRequest().getUrl());
            assertThat(entry.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PUT);
            assertThat(entry.getRequest().getUrl())
                    .isEqualTo(entry.getResource().fhirType() + "/"
                            + entry.getResource().getIdElement().getIdPart());
        });
        Binary raw = (Binary) transaction.getEntryFirstRep().getResource();
        assertThat(raw.getData()).isEqualTo(PAYLOAD);
        assertThat(raw.getContentType()).isEqualTo("application/json");

        Device watch = (Device) transaction.getEntry().get(1).getResource();
        assertThat(watch.getIdentifierFirstRep().getValue()).isEqualTo("watch-17");
        assertThat(watch.getDeviceNameFirstRep().getName()).isEqualTo("Watch");
        assertThat(watch.getPatient().getReference()).isEqualTo("Patient/p1");

        Provenance provenance = (Provenance) transaction.getEntry().get(6).getResource();
        assertThat(provenance.getTarget())
                .extracting(Reference::getReference)
                .containsExactlyElementsOf(transaction.getEntry().subList(3, 6).stream()
                        .map(entry -> "Observation/"
                                + entry.getResource().getIdElement().getIdPart())
                        .toList());
        assertThat(provenance.getEntityFirstRep().getWhat().getReference())
                .isEqualTo("Binary/" + raw.getIdElement().getIdPart());
        assertThat(provenance.getAgent())
                .extracting(agent -> agent.getWho().getReference())
                .containsExactly(
                        "Device/" + ObservationMapper.deviceId(WATCH), "Device/" + ObservationMapper.deviceId(SCALE));
        assertThat(provenance.getRecorded())
                .isEqualTo(java.util.Date.from(MORNING.plusMinutes(5).toInstant()));
    }

    @Test
    void of_everyResource_isValidR4() {
        Bundle transaction = IngestionTransaction.of(BASE, PAYLOAD, "application/json", batch());

        assertThat(errors(transaction)).isEmpty();
    }

    @Test
    void of_sameBatchAgain_isTheSameTransaction() {
        String first = FHIR.newJsonParser()
                .encodeResourceToString(IngestionTransaction.of(BASE, PAYLOAD, "application/json", batch()));
        String again = FHIR.newJsonParser()
                .encodeResourceToString(IngestionTransaction.of(BASE, PAYLOAD, "application/json", batch()));

        assertThat(again).isEqualTo(first);
    }

    @Test
    void of_sameRecordsInAnotherPayload_sameObservationsNewProvenance() {
        Bundle first = IngestionTransaction.of(BASE, PAYLOAD, "application/json", batch());
        Bundle other = IngestionTransaction.of(
                BASE, "{\"feed\":\"resent\"}".getBytes(StandardCharsets.UTF_8), "application/json", batch());

        assertThat(ids(other, "Observation")).isEqualTo(ids(first, "Observation"));
        assertThat(ids(other, "Binary")).isNotEqualTo(ids(first, "Binary"));
        assertThat(ids(other, "Provenance")).isNotEqualTo(ids(first, "Provenance"));
    }

    @Test
    void of_recordTwiceInOneBatch_storedOnce() {
        Measurement heartRate = heartRate("r1");
        List<Item> twice = List.of(item(heartRate), item(heartRate));

        Bundle transaction = IngestionTransaction.of(BASE, PAYLOAD, "application/json", twice);

        assertThat(ids(transaction, "Observation")).hasSize(1);
    }

    @Test
    void of_noMeasurements_refused() {
        assertThatThrownBy(() -> IngestionTransaction.of(BASE, PAYLOAD, "application/json", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Item> batch() {
        Measurement bloodPressure = new Measurement(
                "85354-9",
                null,
                new Components(List.of(
                        new Component("8480-6", new BigDecimal("121"), "mmHg"),
                        new Component("8462-4", new BigDecimal("79"), "mmHg"))),
                MORNING.plusMinutes(1),
                null,
                WATCH,
                "p1",
                null,
                "feed",
                "bp1");
        Measurement weight = new Measurement(
                "29463-7",
                null,
                new Measurement.Quantity(new BigDecimal("72.4"), "kg"),
                MORNING.plusMinutes(5),
                null,
                SCALE,
                "p1",
                null,
                "feed",
                "w1");
        return List.of(item(heartRate("r1")), item(bloodPressure), item(weight));
    }

    private static Measurement heartRate(String recordId) {
        return new Measurement(
                "8867-4",
                null,
                new Measurement.Quantity(new BigDecimal("64"), "bpm"),
                MORNING,
                null,
                WATCH,
                "p1",
                null,
                "feed",
                recordId);
    }

    private static Item item(Measurement measurement) {
        ObservationMapper.Result result = mapper.map(measurement);
        assertThat(result).isInstanceOf(ObservationMapper.Result.Mapped.class);
        return new Item(measurement, ((ObservationMapper.Result.Mapped) result).observation());
    }

    private static List<String> ids(Bundle transaction, String type) {
        return transaction.getEntry().stream()
                .filter(entry -> entry.getResource().fhirType().equals(type))
                .map(entry -> entry.getResource().getIdElement().getIdPart())
                .toList();
    }

    private static List<String> errors(Bundle bundle) {
        ValidationSupportChain chain = new ValidationSupportChain(
                new DefaultProfileValidationSupport(FHIR),
                new InMemoryTerminologyServerValidationSupport(FHIR),
                new CommonCodeSystemsTerminologyService(FHIR));
        FhirValidator validator = FHIR.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
        return validator.validateWithResult(bundle).getMessages().stream()
                .filter(message -> message.getSeverity() == ResultSeverityEnum.ERROR
                        || message.getSeverity() == ResultSeverityEnum.FATAL)
                .map(SingleValidationMessage::toString)
                .toList();
    }
}
