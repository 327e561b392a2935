package health.vigil.ingestion.device;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import health.vigil.ingestion.api.FeedException;
import health.vigil.ingestion.api.FeedFormat;
import health.vigil.ingestion.api.IngestionErrors;
import health.vigil.ingestion.api.Measurement;
import health.vigil.ingestion.api.MeasurementProblem;
import health.vigil.terminology.api.DeviceCodeMapping;
import health.vigil.terminology.api.DeviceCodeMaps;
import health.vigil.terminology.api.DeviceVocabulary;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Open mHealth data points ({@code {"header": ..., "body": ...}}, one or a JSON array of them)
 * of the schemas in {@link OpenMHealthSchema}, checking each against its schema's rules. The array is
 * streamed: one data point at a time is held in memory.
 *
 * <p>A record is identified by {@code header.uuid}, or {@code header.id} in Open mHealth 1.x headers;
 * {@code source} is always {@value #SOURCE}. {@code header.user_id} (or {@code header.user}) becomes the
 * patient identifier, {@code header.acquisition_provenance} the device.
 */
final class OpenMHealthAdapter implements FeedAdapter {

    /** Every measurement's {@code source}: with the data point's id, its identity. */
    static final String SOURCE = "open-mhealth";

    /** The identifier system of {@code header.user_id}, which the server resolves to a patient. */
    static final String USER_SYSTEM = "https://vigil.health/fhir/sid/openmhealth-user";

    /** The identifier system of a device named by {@code acquisition_provenance}. */
    static final String SOURCE_SYSTEM = "https://vigil.health/fhir/sid/openmhealth-source";

    private static final Pattern VERSION = Pattern.compile("([1-9][0-9]*)\\.(0|[1-9][0-9]*)");
    private static final Set<String> MODALITIES = Set.of("sensed", "self-reported");

    /** Numbers as written: 98.60 stays 98.60, never a binary double. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private final Map<OpenMHealthSchema, DeviceCodeMapping> codes = new EnumMap<>(OpenMHealthSchema.class);
    private final List<DeviceCodeMapping> bloodPressureComponents = new ArrayList<>();

    /**
     * @throws IllegalStateException if the terminology's Open mHealth ConceptMap lacks a supported schema
     */
    OpenMHealthAdapter(DeviceCodeMaps deviceCodes) {
        for (OpenMHealthSchema schema : OpenMHealthSchema.values()) {
            codes.put(schema, mapping(deviceCodes, schema.code()));
        }
        for (String component : OpenMHealthSchema.BLOOD_PRESSURE_COMPONENTS) {
            bloodPressureComponents.add(
                    mapping(deviceCodes, OpenMHealthSchema.BLOOD_PRESSURE.code() + "/" + component));
        }
    }

    @Override
    public FeedFormat format() {
        return FeedFormat.OPEN_MHEALTH;
    }

    @Override
    public void read(InputStream payload, FeedSink sink) throws IOException {
        try (JsonParser parser = JSON.createParser(payload)) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_OBJECT) {
                record(parser.readValueAsTree(), sink);
            } else if (first == JsonToken.START_ARRAY) {
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    record(parser.readValueAsTree(), sink);
                }
            } else {
                throw malformed(
                        first == null
                                ? "the payload is empty"
                                : "the payload is neither an Open mHealth data point nor an array of them");
            }
            if (parser.nextToken() != null) {
                throw malformed("there is more after the data point or array; send one JSON value");
            }
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : ", line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            throw new FeedException(
                    IngestionErrors.MALFORMED_PAYLOAD,
                    "the payload is not valid JSON (" + e.getOriginalMessage() + where + ")",
                    e);
        }
    }

    private void record(JsonNode read, FeedSink sink) {
        JsonNode point = read == null ? NullNode.getInstance() : read;
        String recordId = recordId(point);
        try {
            sink.accept(measurement(point, recordId));
        } catch (InvalidDataPoint e) {
            sink.reject(new MeasurementProblem(recordId, e.path(), e.getMessage()));
        }
    }

    private Measurement measurement(JsonNode point, String recordId) throws InvalidDataPoint {
        if (!point.isObject()) {
            throw new InvalidDataPoint("", "a data point must be an object with a header and a body");
        }
        JsonNode header = object(point, "header", "");
        JsonNode body = object(point, "body", "");
        if (recordId == null) {
            throw new InvalidDataPoint(
                    header.has("uuid") ? "header.uuid" : "header.id",
                    "the header has no uuid (or id) to identify the record by; it must be a non-empty string");
        }
        if (!header.has("uuid")) {
            // An Open mHealth 1.x header: id, creation_date_time and schema_id are required.
            OpenMHealthTimeFrame.dateTime(header.get("creation_date_time"), "header.creation_date_time");
        }
        JsonNode schemaId = object(header, "schema_id", "header");
        String namespace = text(schemaId, "namespace", "header.schema_id");
        String name = text(schemaId, "name", "header.schema_id");
        String version = text(schemaId, "version", "header.schema_id");
        OpenMHealthSchema schema = OpenMHealthSchema.named(namespace, name)
                .orElseThrow(() -> new InvalidDataPoint(
                        "header.schema_id",
                        "unknown schema " + namespace + ":" + name + "; Vigil reads omh " + supportedNames()));
        Matcher versionParts = VERSION.matcher(version);
        if (!versionParts.matches()) {
            throw new InvalidDataPoint(
                    "header.schema_id.version", "version '" + version + "' is not major.minor, such as 2.0");
        }
        int major = Integer.parseInt(versionParts.group(1));
        if (!OpenMHealthSchema.supports(major)) {
            throw new InvalidDataPoint(
                    "header.schema_id.version",
                    schema.code() + " version " + version + " is not supported; Vigil reads versions 1.x and 2.x");
        }
        checkBody(schema, major, body);
        OpenMHealthTimeFrame when = OpenMHealthTimeFrame.read(body, schema.intervalOnly(major), schema.schemaName());
        DeviceCodeMapping code = codes.get(schema);
        return new Measurement(
                code.loinc().code(),
                new Measurement.SourceCode(DeviceVocabulary.OPEN_MHEALTH.system(), schema.code(), code.sourceDisplay()),
                value(schema, major, body),
                when.start(),
                when.end(),
                device(header),
                null,
                patient(header),
                SOURCE,
                recordId);
    }

    /** The schema's rules on the body's other properties. */
    private static void checkBody(OpenMHealthSchema schema, int major, JsonNode body) throws InvalidDataPoint {
        var allowed = schema.closedProperties(major);
        if (allowed.isPresent()) {
            for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
                String property = names.next();
                if (!allowed.get().contains(property)) {
                    throw new InvalidDataPoint(
                            "body." + property,
                            schema.code() + " " + major + ".x allows no property '" + property + "'");
                }
            }
        }
        if (body.has("descriptive_statistic")) {
            throw new InvalidDataPoint(
                    "body.descriptive_statistic",
                    "the data point is a statistic (" + body.get("descriptive_statistic")
                            + ") over several measurements; Vigil stores single measurements only");
        }
        for (Map.Entry<String, Set<String>> rule : schema.stringEnums(major).entrySet()) {
            JsonNode given = body.get(rule.getKey());
            if (given != null && !(given.isTextual() && rule.getValue().contains(given.textValue()))) {
                throw new InvalidDataPoint(
                        "body." + rule.getKey(),
                        rule.getKey() + " " + given + " is not one of " + sorted(rule.getValue()));
            }
        }
        for (Map.Entry<String, Set<String>> rule : schema.otherUnitValues(major).entrySet()) {
            if (body.has(rule.getKey())) {
                unitValue(body, rule.getKey(), "body", rule.getValue());
            }
        }
        JsonNode notes = body.get("user_notes");
        if (notes != null && !notes.isTextual()) {
            throw new InvalidDataPoint("body.user_notes", "user_notes must be a string");
        }
    }

    private Measurement.Value value(OpenMHealthSchema schema, int major, JsonNode body) throws InvalidDataPoint {
        if (schema == OpenMHealthSchema.BLOOD_PRESSURE) {
            List<Measurement.Component> components = new ArrayList<>();
            for (int i = 0; i < OpenMHealthSchema.BLOOD_PRESSURE_COMPONENTS.size(); i++) {
                String property = OpenMHealthSchema.BLOOD_PRESSURE_COMPONENTS.get(i);
                JsonNode component = unitValue(body, property, "body", schema.units());
                components.add(new Measurement.Component(
                        bloodPressureComponents.get(i).loinc().code(),
                        component.get("value").decimalValue(),
                        component.get("unit").textValue()));
            }
            return new Measurement.Components(components);
        }
        if (schema == OpenMHealthSchema.STEP_COUNT) {
            JsonNode steps = body.get(schema.valueProperty());
            if (steps == null || !steps.isNumber()) {
                throw new InvalidDataPoint(
                        "body.step_count",
                        "step_count is required and must be a number (in " + schema.code() + " 1.x and 2.x it has no"
                                + " unit)");
            }
            return new Measurement.Quantity(steps.decimalValue(), OpenMHealthSchema.STEP_UNIT);
        }
        JsonNode quantity = unitValue(body, schema.valueProperty(), "body", schema.units());
        if (schema == OpenMHealthSchema.HEART_RATE && major == 1) {
            nonNegativeInteger(quantity, "part_number", "body.heart_rate");
            nonNegativeInteger(quantity, "session", "body.heart_rate");
        }
        return new Measurement.Quantity(
                quantity.get("value").decimalValue(), ucum(quantity.get("unit").textValue()));
    }

    /**
     * Open mHealth's temperature units are its own words, not UCUM ({@code C} would be coulomb): they
     * are translated; every other unit is passed on as written for the terminology to normalize.
     */
    private static String ucum(String unit) {
        switch (unit) {
            case "C":
                return "Cel";
            case "F":
                return "[degF]";
            default:
                return unit;
        }
    }

    /** A required unit-value {@code {value, unit}} whose unit is one of {@code units}. */
    private static JsonNode unitValue(JsonNode parent, String property, String at, Set<String> units)
            throws InvalidDataPoint {
        String path = at + "." + property;
        JsonNode unitValue = parent.get(property);
        if (unitValue == null || unitValue.isNull()) {
            throw new InvalidDataPoint(path, property + " is required");
        }
        if (!unitValue.isObject()) {
            throw new InvalidDataPoint(path, property + " must be a unit-value object {value, unit}");
        }
        JsonNode value = unitValue.get("value");
        if (value == null || !value.isNumber()) {
            throw new InvalidDataPoint(
                    path + ".value",
                    property + ".value is required and must be a number" + (value == null ? "" : ", not " + value));
        }
        JsonNode unit = unitValue.get("unit");
        if (unit == null || !unit.isTextual()) {
            throw new InvalidDataPoint(path + ".unit", property + ".unit is required and must be a string");
        }
        if (!units.contains(unit.textValue())) {
            throw new InvalidDataPoint(
                    path + ".unit",
                    "unit '" + unit.textValue() + "' is not allowed for " + property + "; the schema allows "
                            + sorted(units));
        }
        return unitValue;
    }

    private static void nonNegativeInteger(JsonNode parent, String property, String at) throws InvalidDataPoint {
        JsonNode given = parent.get(property);
        if (given != null && !(given.isIntegralNumber() && given.decimalValue().signum() >= 0)) {
            throw new InvalidDataPoint(
                    at + "." + property, property + " must be an integer of at least 0, not " + given);
        }
    }

    /**
     * The device from {@code acquisition_provenance}: only its {@code source_origin_id} identifies one
     * device. A source name alone ({@code Withings}) names a product that many patients own, so it
     * makes no Device (a Device belongs to one patient).
     */
    private static Measurement.DeviceIdentity device(JsonNode header) throws InvalidDataPoint {
        JsonNode provenance = header.get("acquisition_provenance");
        if (provenance == null || provenance.isNull() || provenance.isTextual()) {
            return null;
        }
        if (!provenance.isObject()) {
            throw new InvalidDataPoint(
                    "header.acquisition_provenance", "acquisition_provenance must be an object with a source_name");
        }
        String name = text(provenance, "source_name", "header.acquisition_provenance");
        JsonNode modality = provenance.get("modality");
        if (modality != null && !(modality.isTextual() && MODALITIES.contains(modality.textValue()))) {
            throw new InvalidDataPoint(
                    "header.acquisition_provenance.modality",
                    "modality " + modality + " is not one of " + sorted(MODALITIES));
        }
        JsonNode origin = provenance.get("source_origin_id");
        return origin != null && origin.isTextual() && !origin.textValue().isBlank()
                ? new Measurement.DeviceIdentity(SOURCE_SYSTEM, origin.textValue(), name)
                : new Measurement.DeviceIdentity(null, null, name);
    }

    private static Measurement.PatientIdentifier patient(JsonNode header) throws InvalidDataPoint {
        String property = header.has("user_id") ? "user_id" : "user";
        JsonNode user = header.get(property);
        if (user == null || user.isNull()) {
            return null;
        }
        if (!user.isTextual() || user.textValue().isBlank()) {
            throw new InvalidDataPoint("header." + property, property + " must be a non-empty string");
        }
        return new Measurement.PatientIdentifier(USER_SYSTEM, user.textValue());
    }

    /** {@code header.uuid}, else {@code header.id}; {@code null} if neither is a non-empty string. */
    private static String recordId(JsonNode point) {
        JsonNode header = point.get("header");
        if (header == null || !header.isObject()) {
            return null;
        }
        JsonNode id = header.has("uuid") ? header.get("uuid") : header.get("id");
        return id != null && id.isTextual() && !id.textValue().isBlank() ? id.textValue() : null;
    }

    private static JsonNode object(JsonNode parent, String property, String at) throws InvalidDataPoint {
        String path = at.isEmpty() ? property : at + "." + property;
        JsonNode node = parent.get(property);
        if (node == null || node.isNull()) {
            throw new InvalidDataPoint(path, property + " is required");
        }
        if (!node.isObject()) {
            throw new InvalidDataPoint(path, property + " must be an object");
        }
        return node;
    }

    private static String text(JsonNode parent, String property, String at) throws InvalidDataPoint {
        JsonNode node = parent.get(property);
        if (node == null || !node.isTextual() || node.textValue().isBlank()) {
            throw new InvalidDataPoint(at + "." + property, property + " is required and must be a non-empty string");
        }
        return node.textValue();
    }

    private static DeviceCodeMapping mapping(DeviceCodeMaps deviceCodes, String code) {
        return deviceCodes
                .toLoinc(DeviceVocabulary.OPEN_MHEALTH, code)
                .orElseThrow(() -> new IllegalStateException(
                        "The terminology's Open mHealth ConceptMap has no LOINC mapping for " + code));
    }

    private static String supportedNames() {
        List<String> names = new ArrayList<>();
        for (OpenMHealthSchema schema : OpenMHealthSchema.values()) {
            names.add(schema.schemaName());
        }
        return String.join(", ", names);
    }

    private static String sorted(Set<String> values) {
        return String.join(", ", new TreeSet<>(values));
    }

    private static FeedException malformed(String detail) {
        return new FeedException(IngestionErrors.MALFORMED_PAYLOAD, detail);
    }
}
