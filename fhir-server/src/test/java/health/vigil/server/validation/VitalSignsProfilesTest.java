package health.vigil.server.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

class VitalSignsProfilesTest {

    @Test
    void isVitalSign_vitalSignsCategory_true() {
        assertThat(VitalSignsProfiles.isVitalSign(observation("vital-signs", "8867-4")))
                .isTrue();
    }

    @Test
    void isVitalSign_laboratoryCategory_false() {
        assertThat(VitalSignsProfiles.isVitalSign(observation("laboratory", "2345-7")))
                .isFalse();
    }

    @Test
    void specificProfile_bloodPressurePanel_bpProfile() {
        assertThat(VitalSignsProfiles.specificProfile(observation("vital-signs", "85354-9")))
                .contains("http://hl7.org/fhir/StructureDefinition/bp");
    }

    @Test
    void specificProfile_pulseOximetryCode_oxygenSaturationProfile() {
        assertThat(VitalSignsProfiles.specificProfile(observation("vital-signs", "59408-5")))
                .contains("http://hl7.org/fhir/StructureDefinition/oxygensat");
    }

    @Test
    void specificProfile_painScore_noSpecificProfile() {
        assertThat(VitalSignsProfiles.specificProfile(observation("vital-signs", "72514-3")))
                .isEmpty();
    }

    private static Observation observation(String category, String loinc) {
        Observation observation = new Observation();
        observation.addCategory(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/observation-category", category, null)));
        observation.setCode(new CodeableConcept(new Coding("http://loinc.org", loinc, null)));
        return observation;
    }
}
