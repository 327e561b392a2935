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
 * @param lab what a laboratory result carries beyond the value (reference range, flag, status, the
 *     report it belongs to); {@code null} for device readings
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
        String recordId,
        Lab lab) {

    /** A device reading, without laboratory details. */
    public Measurement(
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
        this(code, sourceCode, value, start, end, device, patientId, patientIdentifier, source, recordId, null);
    }

    public Measurement {
        Objects.requireNonNull(value, "value");
        if (end != null && start != null && end.isBefore(start)) {
            throw new IllegalArgumentException("end " + end + " is before start " + start);
        }
    }

    /** The same measurement, about the patient with FHIR id {@code id}. */
    public Measurement withPatientId(String id) {
        return new Measurement(
                code, sourceCode, value, start, end, device, id, patientIdentifier, source, recordId, lab);
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
     * A device by its own identifier (serial number, MAC, vendor id), or only described when the feed
     * gives no identifier of the device itself (most Apple Health records name a model, not a device).
     *
     * @param system the identifier's namespace, e.g. the vendor's URL; {@code null} with {@code value}
     * @param value the identifier; {@code null} for a described device, which becomes no Device resource,
     *     only {@code Observation.device.display}
     * @param name how the device calls itself ({@code Apple Watch}); {@code null} if unknown, required
     *     when {@code value} is {@code null}
     */
    public record DeviceIdentity(String system, String value, String name) {
        public DeviceIdentity {
            if (value == null && (name == null || name.isBlank())) {
                throw new IllegalArgumentException("a device without an identifier needs a name");
            }
        }
    }

    /**
     * What a laboratory result carries beyond its value.
     *
     * @param comparator how the true value relates to {@code value} when the lab reported a bound
     *     ({@code <}, {@code <=}, {@code >=}, {@code >}: "&lt;0.5"); {@code null} for an exact value
     * @param referenceRange the lab's reference range for this result; {@code null} if none was given
     * @param interpretation the lab's abnormal flag; {@code null} if none was given
     * @param status the result's status
     * @param report the report (order) the result belongs to; {@code null} if it stands alone
     */
    public record Lab(
            String comparator,
            ReferenceRange referenceRange,
            Interpretation interpretation,
            ResultStatus status,
            Report report) {

        public Lab {
            Objects.requireNonNull(status, "status");
            if (comparator != null && !List.of("<", "<=", ">=", ">").contains(comparator)) {
                throw new IllegalArgumentException("comparator " + comparator + " is not one of <, <=, >=, >");
            }
        }
    }

    /**
     * A reference range as the lab printed it.
     *
     * @param low the lower limit, {@code null} if there is none ("&lt;5")
     * @param high the upper limit, {@code null} if there is none ("&gt;40")
     * @param unit the limits' unit as the feed wrote it (the result's unit)
     * @param text the range as printed ("3.8-11.2", "&gt;40", "negative")
     */
    public record ReferenceRange(BigDecimal low, BigDecimal high, String unit, String text) {}

    /** A lab's abnormal flag, as a code of HL7 v3 ObservationInterpretation. */
    public enum Interpretation {
        /** High. */
        H("High"),
        /** Low. */
        L("Low"),
        /** Critical high. */
        HH("Critical high"),
        /** Critical low. */
        LL("Critical low"),
        /** Abnormal (for results without a direction). */
        A("Abnormal"),
        /** Critical abnormal. */
        AA("Critical abnormal"),
        /** Normal. */
        N("Normal");

        private final String display;

        Interpretation(String display) {
            this.display = display;
        }

        /** The code system's display for the code. */
        public String display() {
            return display;
        }
    }

    /** The status of a result or a report, as FHIR names it. */
    public enum ResultStatus {
        /** Not yet verified: more may follow. */
        PRELIMINARY("preliminary"),
        /** A report with some results final and others to come (reports only). */
        PARTIAL("partial"),
        /** Verified. */
        FINAL("final"),
        /** A final result changed after it was released. */
        CORRECTED("corrected");

        private final String fhirCode;

        ResultStatus(String fhirCode) {
            this.fhirCode = fhirCode;
        }

        /** The code in {@code Observation.status} and {@code DiagnosticReport.status}. */
        public String fhirCode() {
            return fhirCode;
        }
    }

    /**
     * The report (order) lab results belong to; results that share it become one DiagnosticReport.
     *
     * @param id the report's id within the measurement's {@code source}: the lab's (filler) order
     *     number, or the placer's when the lab sent none
     * @param code what was ordered (a panel); {@code system} {@code http://loinc.org} when LOINC
     * @param observed when the specimen was taken; {@code null} if not given
     * @param issued when the report was released or last changed; {@code null} if not given
     * @param status the report's status; {@code null} if not given (then derived from its results)
     * @param performer the laboratory that produced it, by name; {@code null} if unknown
     * @param specimen the specimen as the report names it ({@code Serum}, {@code BLD}); {@code null}
     */
    public record Report(
            String id,
            SourceCode code,
            OffsetDateTime observed,
            OffsetDateTime issued,
            ResultStatus status,
            String performer,
            String specimen) {

        public Report {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(code, "code");
        }
    }
}
