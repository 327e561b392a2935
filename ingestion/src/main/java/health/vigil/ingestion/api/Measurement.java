package health.vigil.ingestion.api;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;

/**
 * One reading from a device feed, normalized by its format adapter, before it becomes FHIR.
 *
 * @param code the LOINC code of what was measured ({@code 8867-4} heart rate, {@code 85354-9} blood
 *     pressure), after the feed's own code was mapped
 * @param sourceCode the feed's own code (HealthKit identifier, MDC code, Open mHealth schema), kept
 *     as the Observation's second coding; {@code null} if the feed used LOINC itself
 * @param value the value: one quantity, or components (blood pressure)
 * @param start when it was measured, with the device's UTC offset as the feed gave it
 * @param end the end of the period for measurements over time (steps in an hour); {@code null} for an
 *     instant
 * @param device the device that measured it; {@code null} if the feed does not say
 * @param patientId the FHIR id of the patient it is about; {@code null} until the pipeline resolves it
 *     (from the request, {@code patientIdentifier}, or the patient the device is linked to)
 * @param patientIdentifier how the feed itself names the patient; {@code null} if it does not
 * @param source where the record came from (a feed, an export, an MQTT topic), part of its identity
 * @param recordId the record's id within {@code source}; with {@code source} and {@code code} it makes
 *     the Observation's id, so the same record sent again is the same Observation
 */
public record Measurement(
        String code,
        SourceCode sourceCode,
        Value value,
        OffsetDateTime start,
        OffsetDateTime end,
        DeviceIdentity device,
        String patientId,
        PatientIdentifier patientIdentifier,
        String source,
        String recordId) {

    public Measurement {
        Objects.requireNonNull(value, "value");
        if (end != null && start != null && end.isBefore(start)) {
            throw new IllegalArgumentException("end " + end + " is before start " + start);
        }
    }

    /** The same measurement, about the patient with FHIR id {@code id}. */
    public Measurement withPatientId(String id) {
        return new Measurement(code, sourceCode, value, start, end, device, id, patientIdentifier, source, recordId);
    }

    /** A measured value. */
    public sealed interface Value permits Quantity, Components {}

    /** One quantity, its unit as the feed wrote it (normalized to UCUM when mapped). */
    public record Quantity(BigDecimal value, String unit) implements Value {}

    /** Several quantities under one code: blood pressure's systolic and diastolic. */
    public record Components(List<Component> components) implements Value {
        public Components {
            components = List.copyOf(components);
        }
    }

    /** One component, by its own LOINC code ({@code 8480-6} systolic). */
    public record Component(String code, BigDecimal value, String unit) {}

    /** The feed's own code for what was measured. */
    public record SourceCode(String system, String code, String display) {}

    /** A patient as the feed names them: an identifier ({@code system|value}) the server resolves. */
    public record PatientIdentifier(String system, String value) {}

    /**
     * A device by its own identifier (serial number, MAC, vendor id).
     *
     * @param system the identifier's namespace, e.g. the vendor's URL
     * @param value the identifier
     * @param name how the device calls itself ({@code Apple Watch}); {@code null} if unknown
     */
    public record DeviceIdentity(String system, String value, String name) {}
}
