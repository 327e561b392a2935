package health.vigil.terminology.api;

/** The device vocabularies with a shipped ConceptMap to LOINC. */
public enum DeviceVocabulary {
    /** Apple HealthKit type identifiers, as in a Health {@code export.xml}. */
    HEALTHKIT(
            "https://vigil.health/fhir/CodeSystem/apple-healthkit",
            "https://vigil.health/fhir/ConceptMap/healthkit-to-loinc"),
    /** IEEE 11073-10101 nomenclature (MDC) codes of personal health devices. */
    MDC("urn:iso:std:iso:11073:10101", "https://vigil.health/fhir/ConceptMap/mdc-to-loinc"),
    /** Open mHealth schema ids without version ({@code omh:heart-rate}); {@code omh:blood-pressure/systolic_blood_pressure} for a component. */
    OPEN_MHEALTH(
            "https://vigil.health/fhir/CodeSystem/openmhealth-schema",
            "https://vigil.health/fhir/ConceptMap/openmhealth-to-loinc");

    private final String system;
    private final String conceptMapUrl;

    DeviceVocabulary(String system, String conceptMapUrl) {
        this.system = system;
        this.conceptMapUrl = conceptMapUrl;
    }

    /** The code system URI the vocabulary's codes are written with, e.g. as an Observation's second coding. */
    public String system() {
        return system;
    }

    /** The canonical URL of the ConceptMap from this vocabulary to LOINC. */
    public String conceptMapUrl() {
        return conceptMapUrl;
    }
}
