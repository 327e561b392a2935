package health.vigil.ingestion.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import health.vigil.ingestion.api.Measurement;
import health.vigil.ingestion.api.MeasurementProblem;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One validated device template: which JSON messages it applies to ({@link #match}) and where in such
 * a message the device, patient, time and values are. Built by {@link DeviceTemplates}, which checks
 * every field at load, so reading a message can only fail on the message.
 *
 * @param name the template's name, unique in its set
 * @param match the JSONPath that selects the messages this template reads: it applies when the path
 *     finds something in the message (a filter such as {@code $[?(@.type == 'hr')]})
 * @param device where the device identifier is; {@code null} if the feed does not name its devices
 * @param patient where the patient identifier is; {@code null} if the feed does not name patients
 * @param time when it was measured
 * @param end the end of a period; {@code null} for instants
 * @param timeFormat how {@code time} and {@code end} are written
 * @param recordId the message's own id; {@code null} to use the device and time
 * @param code the LOINC code the template maps to (checked against the terminology)
 * @param sourceCode the feed's own code for it; {@code null} if none
 * @param value the value and unit of a one-quantity code; {@code null} when {@code components} are given
 * @param components the components of a code like blood pressure; empty for one quantity
 */
record DeviceTemplate(
        String name,
        JsonPath match,
        Identifier device,
        Identifier patient,
        Field time,
        Field end,
        TimeFormat timeFormat,
        Field recordId,
        String code,
        SourceCode sourceCode,
        ValueFields value,
        List<ComponentFields> components) {

    /** Jackson trees in, Jackson trees out; a path that finds nothing gives null, not an exception. */
    static final Configuration JSON_PATH = Configuration.builder()
            .jsonProvider(new JacksonJsonNodeJsonProvider())
            .mappingProvider(new JacksonMappingProvider())
            .options(Option.SUPPRESS_EXCEPTIONS)
            .build();

    /** The source of every measurement read by a template: its record ids are the template's own. */
    static String source(String templateName) {
        return "template/" + templateName;
    }

    DeviceTemplate {
        components = List.copyOf(components);
    }

    /** A template field: a literal, or a JSONPath into the message when it starts with {@code $}. */
    sealed interface Field permits Literal, Path {
        /** The field's text in a message; empty if the path finds nothing or finds null. */
        Optional<JsonNode> read(JsonNode message);
    }

    record Literal(JsonNode value) implements Field {
        @Override
        public Optional<JsonNode> read(JsonNode message) {
            return Optional.of(value);
        }

        @Override
        public String toString() {
            return value.asText();
        }
    }

    record Path(String expression, JsonPath path) implements Field {
        @Override
        public Optional<JsonNode> read(JsonNode message) {
            JsonNode found = path.read(message, JSON_PATH);
            if (found != null && found.isArray() && !path.isDefinite()) {
                found = found.size() == 1 ? found.get(0) : null;
            }
            return found == null || found.isNull() || found.isMissingNode() ? Optional.empty() : Optional.of(found);
        }

        @Override
        public String toString() {
            return expression;
        }
    }

    /** An identifier: a namespace ({@code system}) and a value, with the device's name when given. */
    record Identifier(Field system, Field value, Field name) {}

    record SourceCode(Field system, Field code, Field display) {}

    record ValueFields(Field value, Field unit) {}

    record ComponentFields(String code, Field value, Field unit) {}

    /** How a template's times are written. */
    enum TimeFormat {
        /** ISO 8601 with a UTC offset ({@code 2026-03-01T07:30:00+01:00}); a time without one is refused. */
        ISO_8601("iso-8601"),
        /** Seconds since 1970-01-01T00:00Z. */
        EPOCH_SECONDS("epoch-seconds"),
        /** Milliseconds since 1970-01-01T00:00Z. */
        EPOCH_MILLIS("epoch-millis");

        final String configName;

        TimeFormat(String configName) {
            this.configName = configName;
        }
    }

    /** Whether this template reads {@code message}. */
    boolean matches(JsonNode message) {
        JsonNode found = match.read(message, JSON_PATH);
        return found != null && !found.isNull() && !(found.isArray() && found.isEmpty());
    }

    /**
     * Reads one message this template matches. Every problem with the message is reported, never a
     * half-read measurement.
     *
     * @param message the JSON message
     * @param position where it was in the payload ({@code $[3]}), to name it when it has no id
     */
    ReadResult read(JsonNode message, String position) {
        List<Problem> problems = new ArrayList<>();
        Optional<OffsetDateTime> start = time(time, "time", message, problems);
        if (start.isEmpty() && problems.isEmpty()) {
            problems.add(new Problem("time", "the message has no timestamp at " + time));
        }
        Optional<OffsetDateTime> until = end == null ? Optional.empty() : time(end, "end", message, problems);
        Measurement.DeviceIdentity deviceIdentity = null;
        if (device != null) {
            Optional<String> value = text(device.value(), message);
            if (value.isEmpty()) {
                problems.add(new Problem("device", "the message has no device id at " + device.value()));
            } else {
                deviceIdentity = new Measurement.DeviceIdentity(
                        text(device.system(), message).orElse(null),
                        value.get(),
                        device.name() == null
                                ? null
                                : text(device.name(), message).orElse(null));
                if (deviceIdentity.system() == null) {
                    problems.add(new Problem("device", "the message has no device system at " + device.system()));
                }
            }
        }
        Measurement.PatientIdentifier patientIdentifier = null;
        if (patient != null) {
            Optional<String> system = text(patient.system(), message);
            Optional<String> value = text(patient.value(), message);
            if (system.isPresent() && value.isPresent()) {
                patientIdentifier = new Measurement.PatientIdentifier(system.get(), value.get());
            }
        }
        String id = recordId != null
                ? text(recordId, message).orElse(null)
                : deviceIdentity != null && start.isPresent()
                        ? deviceIdentity.value() + "/" + start.get().toInstant()
                        : null;
        if (id == null && problems.isEmpty()) {
            problems.add(new Problem("recordId", "the message has no record id at " + recordId));
        }
        Measurement.Value measured = value != null ? quantity(message, problems) : components(message, problems);
        String named = id != null ? id : position;
        if (!problems.isEmpty()) {
            return new ReadResult(
                    null,
                    problems.stream()
                            .map(problem -> new MeasurementProblem(named, problem.element(), problem.message()))
                            .toList());
        }
        Measurement.SourceCode own = sourceCode == null
                ? null
                : new Measurement.SourceCode(
                        text(sourceCode.system(), message).orElse(null),
                        text(sourceCode.code(), message).orElse(null),
                        sourceCode.display() == null
                                ? null
                                : text(sourceCode.display(), message).orElse(null));
        if (own != null && (own.system() == null || own.code() == null)) {
            own = null;
        }
        return new ReadResult(
                new Measurement(
                        code,
                        own,
                        measured,
                        start.orElseThrow(),
                        until.orElse(null),
                        deviceIdentity,
                        null,
                        patientIdentifier,
                        source(name),
                        id),
                List.of());
    }

    private record Problem(String element, String message) {}

    /** A message read: a measurement, or the problems that kept it from being one. */
    record ReadResult(Measurement measurement, List<MeasurementProblem> problems) {}

    private Measurement.Value quantity(JsonNode message, List<Problem> problems) {
        Optional<BigDecimal> number = number(value.value(), "value", message, problems);
        Optional<String> unit = text(value.unit(), message);
        if (unit.isEmpty()) {
            problems.add(new Problem("unit", "the message has no unit at " + value.unit()));
        }
        return number.isPresent() && unit.isPresent() ? new Measurement.Quantity(number.get(), unit.get()) : null;
    }

    private Measurement.Value components(JsonNode message, List<Problem> problems) {
        List<Measurement.Component> read = new ArrayList<>();
        for (ComponentFields component : components) {
            String element = "component " + component.code();
            Optional<BigDecimal> number = number(component.value(), element, message, problems);
            Optional<String> unit = text(component.unit(), message);
            if (unit.isEmpty()) {
                problems.add(new Problem(element, "the message has no unit at " + component.unit()));
            }
            if (number.isPresent() && unit.isPresent()) {
                read.add(new Measurement.Component(component.code(), number.get(), unit.get()));
            }
        }
        return new Measurement.Components(read);
    }

    private static Optional<BigDecimal> number(Field field, String element, JsonNode message, List<Problem> problems) {
        Optional<JsonNode> found = field.read(message);
        if (found.isEmpty()) {
            problems.add(new Problem(element, "the message has no value at " + field));
            return Optional.empty();
        }
        JsonNode node = found.get();
        if (node.isNumber()) {
            return Optional.of(node.decimalValue());
        }
        if (node.isTextual()) {
            try {
                return Optional.of(new BigDecimal(node.asText().trim()));
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        problems.add(new Problem(element, "'" + node.asText() + "' at " + field + " is not a number"));
        return Optional.empty();
    }

    private Optional<OffsetDateTime> time(Field field, String element, JsonNode message, List<Problem> problems) {
        Optional<JsonNode> found = field.read(message);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        JsonNode node = found.get();
        try {
            switch (timeFormat) {
                case EPOCH_SECONDS:
                    return Optional.of(OffsetDateTime.ofInstant(
                            Instant.ofEpochMilli(new BigDecimal(node.asText())
                                    .movePointRight(3)
                                    .longValueExact()),
                            ZoneOffset.UTC));
                case EPOCH_MILLIS:
                    return Optional.of(OffsetDateTime.ofInstant(
                            Instant.ofEpochMilli(new BigDecimal(node.asText()).longValueExact()), ZoneOffset.UTC));
                default:
                    TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parse(node.asText());
                    if (!parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
                        problems.add(new Problem(
                                element, "time '" + node.asText() + "' at " + field + " has no UTC offset"));
                        return Optional.empty();
                    }
                    return Optional.of(OffsetDateTime.from(parsed));
            }
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            problems.add(new Problem(
                    element, "time '" + node.asText() + "' at " + field + " is not " + timeFormat.configName));
            return Optional.empty();
        }
    }

    private static Optional<String> text(Field field, JsonNode message) {
        return field.read(message)
                .filter(node -> node.isValueNode())
                .map(JsonNode::asText)
                .filter(text -> !text.isBlank());
    }
}
