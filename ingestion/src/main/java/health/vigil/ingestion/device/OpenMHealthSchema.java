package health.vigil.ingestion.device;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Open mHealth schemas Vigil reads ({@code omh} namespace, versions 1.x and 2.x), each with the
 * rules of its JSON schema that decide whether a data point's body can be stored. The rules are taken
 * from the published schema definitions; where a major version changed a rule, both are kept.
 */
enum OpenMHealthSchema {
    HEART_RATE("heart-rate", "heart_rate", Set.of("beats/min")),
    BLOOD_PRESSURE("blood-pressure", null, Set.of("mmHg")),
    BODY_WEIGHT(
            "body-weight",
            "body_weight",
            Set.of("fg", "pg", "ng", "ug", "mg", "g", "kg", "Metric Ton", "gr", "oz", "lb", "Ton")),
    BODY_TEMPERATURE("body-temperature", "body_temperature", Set.of("K", "F", "C")),
    BLOOD_GLUCOSE("blood-glucose", "blood_glucose", Set.of("mg/dL", "mmol/L")),
    OXYGEN_SATURATION("oxygen-saturation", "oxygen_saturation", Set.of("%")),
    /** In 1.x and 2.x {@code step_count} is a bare number; Vigil gives it the unit {@code steps}. */
    STEP_COUNT("step-count", "step_count", Set.of()),
    RESPIRATORY_RATE("respiratory-rate", "respiratory_rate", Set.of("breaths/min"));

    /** The namespace of every supported schema. */
    static final String NAMESPACE = "omh";

    /** The unit a 1.x or 2.x step count is stored with (it writes none). */
    static final String STEP_UNIT = "steps";

    /** Blood pressure's two required unit-values, in the order they become components. */
    static final List<String> BLOOD_PRESSURE_COMPONENTS =
            List.of("systolic_blood_pressure", "diastolic_blood_pressure");

    private final String schemaName;
    private final String valueProperty;
    private final Set<String> units;

    OpenMHealthSchema(String schemaName, String valueProperty, Set<String> units) {
        this.schemaName = schemaName;
        this.valueProperty = valueProperty;
        this.units = units;
    }

    /** The schema name in {@code header.schema_id.name}, e.g. {@code heart-rate}. */
    String schemaName() {
        return schemaName;
    }

    /** The code in Vigil's Open mHealth vocabulary, e.g. {@code omh:heart-rate}. */
    String code() {
        return NAMESPACE + ":" + schemaName;
    }

    /** The body property that holds the value; {@code null} for blood pressure (two components). */
    String valueProperty() {
        return valueProperty;
    }

    /** The units the schema's enum allows for the value (each blood-pressure component alike). */
    Set<String> units() {
        return units;
    }

    /** Whether the major version is one Vigil reads. */
    static boolean supports(int majorVersion) {
        return majorVersion == 1 || majorVersion == 2;
    }

    static Optional<OpenMHealthSchema> named(String namespace, String name) {
        if (!NAMESPACE.equals(namespace)) {
            return Optional.empty();
        }
        return Arrays.stream(values())
                .filter(schema -> schema.schemaName.equals(name))
                .findFirst();
    }

    /**
     * Whether the schema's effective time frame must be a time interval: step-count 2.x says a step
     * count is over a period, never at an instant.
     */
    boolean intervalOnly(int majorVersion) {
        return this == STEP_COUNT && majorVersion >= 2;
    }

    /**
     * The only properties the body may have, where the schema forbids others ({@code
     * additionalProperties: false}); empty if it allows any.
     */
    Optional<Set<String>> closedProperties(int majorVersion) {
        if (this == BLOOD_PRESSURE && majorVersion == 2) {
            return Optional.of(Set.of(
                    "systolic_blood_pressure",
                    "diastolic_blood_pressure",
                    "effective_time_frame",
                    "body_posture",
                    "descriptive_statistic",
                    "user_notes"));
        }
        if (this == OXYGEN_SATURATION && majorVersion == 1) {
            return Optional.of(Set.of(
                    "oxygen_saturation",
                    "system",
                    "supplemental_oxygen_flow_rate",
                    "oxygen_therapy_mode_of_administration",
                    "measurement_method",
                    "effective_time_frame",
                    "descriptive_statistic"));
        }
        return Optional.empty();
    }

    /** Optional string properties of the body whose value the schema restricts to an enum. */
    Map<String, Set<String>> stringEnums(int majorVersion) {
        switch (this) {
            case BODY_TEMPERATURE:
                return Map.of(
                        "measurement_location",
                        majorVersion == 1
                                ? Set.of("oral", "rectal", "vaginal", "axillary", "otic", "wrist", "chest")
                                : Set.of(
                                        "axillary",
                                        "finger",
                                        "forehead",
                                        "oral",
                                        "rectal",
                                        "temporal artery",
                                        "toe",
                                        "tympanic",
                                        "wrist",
                                        "vagina"));
            case OXYGEN_SATURATION:
                if (majorVersion == 1) {
                    return Map.of(
                            "system",
                            Set.of(
                                    "arterial",
                                    "capillary",
                                    "intracardiac",
                                    "jugular bulb",
                                    "peripheral",
                                    "conjunctival",
                                    "venous",
                                    "mixed venous",
                                    "superior vena cava"),
                            "oxygen_therapy_mode_of_administration",
                            Set.of("face mask", "nasal cannula", "Venturi mask"),
                            "measurement_method",
                            Set.of(
                                    "pulse oximetry",
                                    "arterial blood gas analyzer",
                                    "near-infrared spectroscopy (NIRS)"));
                }
                return Map.of(
                        "system", Set.of("peripheral capillary"),
                        "oxygen_therapy_mode_of_administration", Set.of("nasal cannula"),
                        "measurement_method", Set.of("pulse oximetry"));
            default:
                return Map.of();
        }
    }

    /** Optional unit-value properties of the body other than the value, with their units. */
    Map<String, Set<String>> otherUnitValues(int majorVersion) {
        if (this == OXYGEN_SATURATION) {
            return Map.of("supplemental_oxygen_flow_rate", Set.of(majorVersion == 1 ? "LPM" : "L/min"));
        }
        return Map.of();
    }
}
