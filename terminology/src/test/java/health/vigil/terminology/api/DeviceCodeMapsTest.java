package health.vigil.terminology.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DeviceCodeMapsTest {

    private static DeviceCodeMaps maps;

    @BeforeAll
    static void load() {
        maps = Terminology.load().deviceCodes();
    }

    @Test
    void toLoinc_healthKitHeartRate_isLoincHeartRate() {
        assertThat(maps.toLoinc(DeviceVocabulary.HEALTHKIT, "HKQuantityTypeIdentifierHeartRate"))
                .get()
                .satisfies(mapping -> {
                    assertThat(mapping.loinc().code()).isEqualTo("8867-4");
                    assertThat(mapping.equivalence()).isEqualTo("equivalent");
                });
    }

    @Test
    void toLoinc_bloodPressureComponents_mapToSystolicAndDiastolic_inEveryVocabulary() {
        assertThat(maps.toLoinc(DeviceVocabulary.HEALTHKIT, "HKQuantityTypeIdentifierBloodPressureSystolic"))
                .map(m -> m.loinc().code())
                .contains("8480-6");
        assertThat(maps.toLoinc(DeviceVocabulary.MDC, "150022"))
                .map(m -> m.loinc().code())
                .contains("8462-4");
        assertThat(maps.toLoinc(DeviceVocabulary.OPEN_MHEALTH, "omh:blood-pressure/systolic_blood_pressure"))
                .map(m -> m.loinc().code())
                .contains("8480-6");
        assertThat(maps.toLoinc(DeviceVocabulary.OPEN_MHEALTH, "omh:blood-pressure"))
                .map(m -> m.loinc().code())
                .contains("85354-9");
    }

    @Test
    void toLoinc_mdcPulseRateFromOximeter_isWiderHeartRate() {
        assertThat(maps.toLoinc(DeviceVocabulary.MDC, "149530")).get().satisfies(mapping -> {
            assertThat(mapping.loinc().code()).isEqualTo("8867-4");
            assertThat(mapping.equivalence()).isEqualTo("wider");
            assertThat(mapping.sourceDisplay()).isEqualTo("MDC_PULS_OXIM_PULS_RATE");
        });
    }

    @Test
    void toLoinc_unknownCode_isEmpty() {
        assertThat(maps.toLoinc(DeviceVocabulary.HEALTHKIT, "HKQuantityTypeIdentifierWalkingSpeed"))
                .isEmpty();
        assertThat(maps.toLoinc(DeviceVocabulary.MDC, "8867-4")).isEmpty();
        assertThat(maps.toLoinc(DeviceVocabulary.OPEN_MHEALTH, null)).isEmpty();
    }

    @Test
    void all_coversTheOpenMHealthSchemasIngestionReads() {
        assertThat(maps.all(DeviceVocabulary.OPEN_MHEALTH))
                .extracting(DeviceCodeMapping::sourceCode)
                .contains(
                        "omh:heart-rate",
                        "omh:blood-pressure",
                        "omh:body-weight",
                        "omh:body-temperature",
                        "omh:blood-glucose",
                        "omh:oxygen-saturation",
                        "omh:step-count",
                        "omh:respiratory-rate");
    }
}
