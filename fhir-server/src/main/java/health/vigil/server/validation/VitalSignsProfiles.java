package health.vigil.server.validation;

import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;

/** Which FHIR R4 vital-signs profile applies to an Observation, by its LOINC code. */
final class VitalSignsProfiles {

    static final String CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category";
    static final String CATEGORY_CODE = "vital-signs";
    static final String LOINC = "http://loinc.org";
    static final String BASE_PROFILE = "http://hl7.org/fhir/StructureDefinition/vitalsigns";

    private static final String PREFIX = "http://hl7.org/fhir/StructureDefinition/";

    /** The LOINC codes each R4 vital-signs profile fixes (FHIR R4 §observation-vitalsigns). */
    private static final Map<String, String> PROFILE_BY_LOINC = Map.ofEntries(
            Map.entry("85353-1", PREFIX + "vitalspanel"),
            Map.entry("9279-1", PREFIX + "resprate"),
            Map.entry("8867-4", PREFIX + "heartrate"),
            Map.entry("2708-6", PREFIX + "oxygensat"),
            Map.entry("59408-5", PREFIX + "oxygensat"),
            Map.entry("8310-5", PREFIX + "bodytemp"),
            Map.entry("8302-2", PREFIX + "bodyheight"),
            Map.entry("9843-4", PREFIX + "headcircum"),
            Map.entry("29463-7", PREFIX + "bodyweight"),
            Map.entry("39156-5", PREFIX + "bmi"),
            Map.entry("85354-9", PREFIX + "bp"));

    private VitalSignsProfiles() {}

    static boolean isVitalSign(Observation observation) {
        return observation.getCategory().stream()
                .flatMap(category -> category.getCoding().stream())
                .anyMatch(
                        coding -> CATEGORY_SYSTEM.equals(coding.getSystem()) && CATEGORY_CODE.equals(coding.getCode()));
    }

    /** The specific profile for the Observation's LOINC code, if it has one of the vital-signs codes. */
    static Optional<String> specificProfile(Observation observation) {
        for (Coding coding : observation.getCode().getCoding()) {
            if (LOINC.equals(coding.getSystem()) && PROFILE_BY_LOINC.containsKey(coding.getCode())) {
                return Optional.of(PROFILE_BY_LOINC.get(coding.getCode()));
            }
        }
        return Optional.empty();
    }
}
