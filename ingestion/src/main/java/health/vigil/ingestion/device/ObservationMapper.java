package health.vigil.ingestion.device;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import health.vigil.ingestion.api.Measurement;
import health.vigil.ingestion.api.Measurement.Component;
import health.vigil.ingestion.api.Measurement.Components;
import health.vigil.ingestion.api.MeasurementProblem;
import health.vigil.terminology.api.Analyte;
import health.vigil.terminology.api.Conversion;
import health.vigil.terminology.api.Terminology;
import health.vigil.terminology.api.UnitResult;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import java.util.UUID;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/**
 * Turns a normalized {@link Measurement} into an R4 vital-signs Observation: LOINC first coding (the
 * feed's own code second), UCUM units, the effective time with the device's offset, and an id derived
 * from the record's identity, so storing it again with PUT changes nothing. A measurement that cannot
 * be stored is {@link Result.Rejected} with every problem found, never a partial Observation.
 *
 * <p>A measurement with {@link Measurement#lab() lab} details becomes a laboratory Observation: its
 * status, comparator, reference range, interpretation and issued time come from them. The category
 * is the analyte's own ({@code laboratory} for every lab analyte of the catalogue).
 */
final class ObservationMapper {

    static final String LOINC = "http://loinc.org";
    static final String UCUM = "http://unitsofmeasure.org";
    static final String CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category";
    static final String INTERPRETATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

    /** The Observation's identifier system: the value is {@code <source>/<record id>}. */
    static final String RECORD_IDENTIFIER_SYSTEM = "https://vigil.health/fhir/sid/device-record";

    /** The outcome for one measurement. */
    sealed interface Result permits Result.Mapped, Result.Rejected {
        record Mapped(Observation observation) implements Result {}

        record Rejected(List<MeasurementProblem> problems) implements Result {
            public Rejected {
                problems = List.copyOf(problems);
            }
        }
    }

    private final Terminology terminology;

    ObservationMapper(Terminology terminology) {
        this.terminology = terminology;
    }

    Result map(Measurement measurement) {
        List<MeasurementProblem> problems = new ArrayList<>();
        Problems report =
                (element, message) -> problems.add(new MeasurementProblem(measurement.recordId(), element, message));
        Optional<Analyte> analyte = known(measurement.code(), "code", report);
        if (measurement.start() == null) {
            report.add("start", "the measurement has no timestamp");
        }
        if (blank(measurement.patientId())) {
            report.add("patientId", "the measurement names no patient");
        }
        if (blank(measurement.source()) || blank(measurement.recordId())) {
            report.add("recordId", "the measurement has no source and record id to identify it by");
        }
        Observation observation = new Observation();
        analyte.ifPresent(found -> value(found, measurement.value(), observation, report));
        if (measurement.lab() != null) {
            lab(measurement.lab(), observation, report);
        }
        if (!problems.isEmpty()) {
            return new Result.Rejected(problems);
        }
        Analyte what = analyte.orElseThrow();
        observation.setId(observationId(measurement));
        observation.setStatus(
                measurement.lab() == null
                        ? Observation.ObservationStatus.FINAL
                        : Observation.ObservationStatus.fromCode(
                                measurement.lab().status().fhirCode()));
        observation
                .addIdentifier()
                .setSystem(RECORD_IDENTIFIER_SYSTEM)
                .setValue(measurement.source() + "/" + measurement.recordId());
        observation.addCategory(new CodeableConcept(new Coding(CATEGORY_SYSTEM, what.category(), category(what))));
        CodeableConcept code = new CodeableConcept(new Coding(LOINC, what.code(), what.display()));
        if (measurement.sourceCode() != null) {
            Measurement.SourceCode own = measurement.sourceCode();
            code.addCoding(new Coding(own.system(), own.code(), own.display()));
        }
        code.setText(what.display());
        observation.setCode(code);
        observation.setSubject(new Reference("Patient/" + measurement.patientId()));
        if (measurement.end() == null) {
            observation.setEffective(dateTime(measurement.start()));
        } else {
            observation.setEffective(new Period()
                    .setStartElement(dateTime(measurement.start()))
                    .setEndElement(dateTime(measurement.end())));
        }
        if (identified(measurement.device())) {
            observation.setDevice(new Reference("Device/" + deviceId(measurement.device())));
        } else if (measurement.device() != null) {
            observation.setDevice(
                    new Reference().setDisplay(measurement.device().name()));
        }
        return new Result.Mapped(observation);
    }

    /**
     * The Observation's id: the same record from the same source about the same patient is always the
     * same Observation. The patient is part of it because feeds' record ids (an export's timestamps) are
     * only unique per person.
     */
    static String observationId(Measurement measurement) {
        return nameUuid(
                "Observation",
                measurement.patientId(),
                measurement.source(),
                measurement.recordId(),
                measurement.code());
    }

    /** Whether the measurement's device is known by its own identifier, and so is a Device resource. */
    static boolean identified(Measurement.DeviceIdentity device) {
        return device != null && device.value() != null;
    }

    /** The Device's id: one per device identifier. */
    static String deviceId(Measurement.DeviceIdentity device) {
        return nameUuid("Device", device.system(), device.value());
    }

    private void value(Analyte analyte, Measurement.Value value, Observation observation, Problems report) {
        if (value instanceof Measurement.Quantity quantity) {
            if (analyte.units().isEmpty()) {
                report.add(
                        "value", analyte.display() + " (" + analyte.code() + ") has components or is not a quantity");
                return;
            }
            quantity(analyte, quantity.value(), quantity.unit(), "value", report)
                    .ifPresent(observation::setValue);
        } else if (value instanceof Components components) {
            if (!analyte.units().isEmpty()) {
                report.add("value", analyte.display() + " (" + analyte.code() + ") is one quantity, not components");
                return;
            }
            if (components.components().isEmpty()) {
                report.add("value", "no components given for " + analyte.display());
            }
            for (Component component : components.components()) {
                String element = "component " + component.code();
                known(component.code(), element, report)
                        .flatMap(part -> quantity(part, component.value(), component.unit(), element, report)
                                .map(measured -> observation
                                        .addComponent()
                                        .setCode(new CodeableConcept(new Coding(LOINC, part.code(), part.display()))
                                                .setText(part.display()))
                                        .setValue(measured)));
            }
        }
    }

    /**
     * A lab result's comparator, reference range, flag and release time. The range's limits are
     * quantities in the range's own unit (the result's, in HL7 v2); no plausibility range applies to
     * them or to lab values, whose ranges differ by lab, age and sex.
     */
    private void lab(Measurement.Lab lab, Observation observation, Problems report) {
        if (lab.status() == Measurement.ResultStatus.PARTIAL) {
            report.add("status", "a single result cannot be partial; only a report can");
        }
        if (lab.comparator() != null && observation.hasValueQuantity()) {
            observation.getValueQuantity().setComparator(Quantity.QuantityComparator.fromCode(lab.comparator()));
        }
        Measurement.ReferenceRange range = lab.referenceRange();
        if (range != null) {
            Observation.ObservationReferenceRangeComponent mapped =
                    new Observation.ObservationReferenceRangeComponent();
            if (range.low() != null || range.high() != null) {
                UnitResult unit = terminology.units().normalize(range.unit());
                if (unit instanceof UnitResult.Valid valid) {
                    if (range.low() != null) {
                        mapped.setLow(ucumQuantity(range.low(), valid.ucum()));
                    }
                    if (range.high() != null) {
                        mapped.setHigh(ucumQuantity(range.high(), valid.ucum()));
                    }
                } else {
                    report.add(
                            "referenceRange", "unit '" + range.unit() + "': " + ((UnitResult.Invalid) unit).reason());
                }
            }
            if (range.text() != null && !range.text().isBlank()) {
                mapped.setText(range.text());
            }
            observation.addReferenceRange(mapped);
        }
        if (lab.interpretation() != null) {
            observation.addInterpretation(new CodeableConcept(new Coding(
                    INTERPRETATION_SYSTEM,
                    lab.interpretation().name(),
                    lab.interpretation().display())));
        }
        if (lab.report() != null && lab.report().issued() != null) {
            observation.setIssued(Date.from(lab.report().issued().toInstant()));
        }
    }

    private static Quantity ucumQuantity(BigDecimal value, String ucum) {
        return new Quantity().setValue(value).setUnit(ucum).setSystem(UCUM).setCode(ucum);
    }

    /** The value as a UCUM Quantity in the unit the feed used, if that unit fits and the value is possible. */
    private Optional<Quantity> quantity(
            Analyte analyte, BigDecimal value, String unit, String element, Problems report) {
        if (value == null) {
            report.add(element, "no value");
            return Optional.empty();
        }
        UnitResult normalized = terminology.units().normalize(unit);
        if (normalized instanceof UnitResult.Invalid invalid) {
            report.add(element, "unit '" + unit + "': " + invalid.reason());
            return Optional.empty();
        }
        String ucum = ((UnitResult.Valid) normalized).ucum();
        Optional<PlausibleRanges.Range> range = PlausibleRanges.of(analyte.code());
        String checkUnit =
                range.map(PlausibleRanges.Range::unit).orElse(analyte.units().get(0));
        Conversion converted = terminology.units().convert(value, ucum, checkUnit, analyte.code());
        if (converted instanceof Conversion.NotConverted) {
            report.add(
                    element,
                    "unit '" + unit + "' is not a unit of " + analyte.display() + " (expected e.g. "
                            + analyte.units().get(0) + ")");
            return Optional.empty();
        }
        BigDecimal comparable = ((Conversion.Converted) converted).value();
        if (range.isPresent() && !range.get().contains(comparable)) {
            report.add(
                    element,
                    analyte.display() + " " + value.toPlainString() + " " + ucum + " is not possible (outside "
                            + range.get() + ")");
            return Optional.empty();
        }
        return Optional.of(ucumQuantity(value, ucum));
    }

    private Optional<Analyte> known(String code, String element, Problems report) {
        if (blank(code)) {
            report.add(element, "no LOINC code");
            return Optional.empty();
        }
        Optional<Analyte> analyte = terminology.analytes().byCode(code);
        if (analyte.isEmpty()) {
            report.add(element, "LOINC " + code + " is not in Vigil's catalogue of vital signs and lab analytes");
        }
        return analyte;
    }

    static DateTimeType dateTime(OffsetDateTime time) {
        return new DateTimeType(
                Date.from(time.toInstant()),
                time.getNano() == 0 ? TemporalPrecisionEnum.SECOND : TemporalPrecisionEnum.MILLI,
                TimeZone.getTimeZone(time.getOffset()));
    }

    private static String category(Analyte analyte) {
        return "vital-signs".equals(analyte.category()) ? "Vital Signs" : "Laboratory";
    }

    private static String nameUuid(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("|", parts).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    @FunctionalInterface
    private interface Problems {
        void add(String element, String message);
    }
}
