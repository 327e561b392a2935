package health.vigil.ingestion.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import health.vigil.ingestion.api.Measurement;
import health.vigil.ingestion.api.Measurement.Component;
import health.vigil.ingestion.api.Measurement.Components;
import health.vigil.ingestion.api.Measurement.DeviceIdentity;
import health.vigil.ingestion.api.Measurement.SourceCode;
import health.vigil.ingestion.api.MeasurementProblem;
import health.vigil.terminology.api.Terminology;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ObservationMapperTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String HEALTHKIT = "https://vigil.health/fhir/CodeSystem/apple-healthkit";
    private static final OffsetDateTime MORNING = OffsetDateTime.parse("2026-11-30T07:15:00+02:00");
    private static final DeviceIdentity WATCH = new DeviceIdentity("https://example.org/devices", "watch-17", "Watch");

    private static ObservationMapper mapper;
    private static FhirValidator validator;

    @BeforeAll
    static void load() {
        mapper = new ObservationMapper(Terminology.load());
        ValidationSupportChain chain = new ValidationSupportChain(
                new DefaultProfileValidationSupport(FHIR),
                new InMemoryTerminologyServerValidationSupport(FHIR),
                new CommonCodeSystemsTerminologyService(FHIR));
        validator = FHIR.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
    }

    @Test
    void map_heartRateFromHealthKit_isAValidHeartRateObservation() {
        Observation observation = mapped(quantity("8867-4", "72", "count/min"));

        assertThat(errors(observation, "heartrate")).isEmpty();
        assertThat(observation.getCode().getCoding())
                .extracting(coding -> coding.getSystem() + "|" + coding.getCode())
                .containsExactly("http://loinc.org|8867-4", HEALTHKIT + "|HKQuantityTypeIdentifierHeartRate");
        Quantity value = observation.getValueQuantity();
        assertThat(value.getValue()).isEqualByComparingTo("72");
        assertThat(value.getSystem()).isEqualTo("http://unitsofmeasure.org");
        assertThat(value.getCode()).isEqualTo("/min");
        assertThat(observation.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2026-11-30T07:15:00+02:00");
        assertThat(observation.getCategoryFirstRep().getCodingFirstRep().getCode())
                .isEqualTo("vital-signs");
        assertThat(observation.getSubject().getReference()).isEqualTo("Patient/p1");
        assertThat(observation.getDevice().getReference()).isEqualTo("Device/" + ObservationMapper.deviceId(WATCH));
        assertThat(observation.getIdentifierFirstRep().getValue()).isEqualTo("healthkit-export/r1");
    }

    /** The profile checks above can fail: a heart rate is not a blood pressure, nor a kilogram a beat. */
    @Test
    void profileCheck_detectsAnObservationThatDoesNotConform() {
        Observation heartRate = mapped(quantity("8867-4", "72", "/min"));

        assertThat(errors(heartRate, "bp")).isNotEmpty();
        heartRate.getValueQuantity().setCode("kg").setUnit("kg");
        assertThat(errors(heartRate, "heartrate")).isNotEmpty();
    }

    @Test
    void map_sameRecordTwice_sameId_anotherRecord_anotherId() {
        String first = mapped(quantity("8867-4", "72", "/min")).getIdElement().getIdPart();
        String again = mapped(quantity("8867-4", "72", "/min")).getIdElement().getIdPart();
        String other = mapped(measurement("8867-4", new Measurement.Quantity(new BigDecimal("72"), "/min"), "r2"))
                .getIdElement()
                .getIdPart();

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void map_bloodPressure_isAValidBpObservationWithComponents() {
        Observation observation = mapped(measurement(
                "85354-9",
                new Components(List.of(
                        new Component("8480-6", new BigDecimal("121"), "mmHg"),
                        new Component("8462-4", new BigDecimal("79"), "mm[Hg]"))),
                "r1"));

        assertThat(errors(observation, "bp")).isEmpty();
        assertThat(observation.hasValue()).isFalse();
        assertThat(observation.getComponent())
                .extracting(
                        component -> component.getCode().getCodingFirstRep().getCode(),
                        component -> component.getValueQuantity().getValue().toPlainString(),
                        component -> component.getValueQuantity().getCode())
                .containsExactly(tuple("8480-6", "121", "mm[Hg]"), tuple("8462-4", "79", "mm[Hg]"));
    }

    @Test
    void map_weightInPounds_keptAsUcumPounds_andValid() {
        Observation observation = mapped(quantity("29463-7", "165.3", "lbs"));

        assertThat(errors(observation, "bodyweight")).isEmpty();
        assertThat(observation.getValueQuantity().getCode()).isEqualTo("[lb_av]");
        assertThat(observation.getValueQuantity().getValue()).isEqualByComparingTo("165.3");
    }

    @Test
    void map_temperatureInFahrenheit_checkedInCelsius() {
        assertThat(mapper.map(quantity("8310-5", "98.6", "°F"))).isInstanceOf(ObservationMapper.Result.Mapped.class);
        assertThat(problems(quantity("8310-5", "200", "°F")))
                .singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("outside 25–45 Cel"));
    }

    @Test
    void map_stepsOverAnHour_isAPeriod() {
        Measurement steps = new Measurement(
                "55423-8",
                null,
                new Measurement.Quantity(new BigDecimal("1200"), "{steps}"),
                MORNING,
                MORNING.plusHours(1),
                WATCH,
                "p1",
                null,
                "healthkit-export",
                "s1");

        Observation observation = mapped(steps);

        assertThat(observation.getEffectivePeriod().getStartElement().getValueAsString())
                .isEqualTo("2026-11-30T07:15:00+02:00");
        assertThat(observation.getEffectivePeriod().getEndElement().getValueAsString())
                .isEqualTo("2026-11-30T08:15:00+02:00");
        assertThat(observation.getCode().getCoding()).hasSize(1);
    }

    @Test
    void map_impossibleHeartRate_rejectedNamingTheRange() {
        assertThat(problems(quantity("8867-4", "900", "bpm"))).singleElement().satisfies(problem -> {
            assertThat(problem.recordId()).isEqualTo("r1");
            assertThat(problem.element()).isEqualTo("value");
            assertThat(problem.message()).contains("900").contains("20–300 /min");
        });
    }

    @Test
    void map_negativeWeight_rejected() {
        assertThat(problems(quantity("29463-7", "-70", "kg")))
                .singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("-70"));
    }

    @Test
    void map_unknownOrWrongUnit_rejectedNamingTheUnit() {
        assertThat(problems(quantity("8867-4", "72", "bananas")))
                .singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("bananas"));
        assertThat(problems(quantity("8867-4", "72", "kg")))
                .singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("'kg' is not a unit of Heart rate"));
    }

    @Test
    void map_everyProblemOfARecord_isReported() {
        Measurement broken = new Measurement(
                "99999-9",
                null,
                new Measurement.Quantity(BigDecimal.ONE, "/min"),
                null,
                null,
                null,
                " ",
                null,
                "feed",
                "");

        assertThat(problems(broken))
                .extracting(MeasurementProblem::element)
                .containsExactlyInAnyOrder("code", "start", "patientId", "recordId");
    }

    @Test
    void map_shapeThatDoesNotFitTheCode_rejected() {
        assertThat(problems(quantity("85354-9", "120", "mm[Hg]")))
                .singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("85354-9"));
        assertThat(problems(measurement(
                        "8867-4",
                        new Components(List.of(new Component("8480-6", new BigDecimal("120"), "mm[Hg]"))),
                        "r1")))
                .singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("not components"));
    }

    private static Measurement quantity(String code, String value, String unit) {
        return measurement(code, new Measurement.Quantity(new BigDecimal(value), unit), "r1");
    }

    private static Measurement measurement(String code, Measurement.Value value, String recordId) {
        return new Measurement(
                code,
                new SourceCode(HEALTHKIT, "HKQuantityTypeIdentifierHeartRate", "Heart rate"),
                value,
                MORNING,
                null,
                WATCH,
                "p1",
                null,
                "healthkit-export",
                recordId);
    }

    private static Observation mapped(Measurement measurement) {
        ObservationMapper.Result result = mapper.map(measurement);
        assertThat(result).isInstanceOf(ObservationMapper.Result.Mapped.class);
        return ((ObservationMapper.Result.Mapped) result).observation();
    }

    private static List<MeasurementProblem> problems(Measurement measurement) {
        ObservationMapper.Result result = mapper.map(measurement);
        assertThat(result).isInstanceOf(ObservationMapper.Result.Rejected.class);
        return ((ObservationMapper.Result.Rejected) result).problems();
    }

    private static List<String> errors(Observation observation, String profile) {
        ValidationOptions options =
                new ValidationOptions().addProfile("http://hl7.org/fhir/StructureDefinition/" + profile);
        return validator.validateWithResult(observation, options).getMessages().stream()
                .filter(message -> message.getSeverity() == ResultSeverityEnum.ERROR
                        || message.getSeverity() == ResultSeverityEnum.FATAL)
                .map(SingleValidationMessage::toString)
                .toList();
    }
}
