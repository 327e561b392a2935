package health.vigil.ingestion.device;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import health.vigil.ingestion.api.FeedException;
import health.vigil.ingestion.api.IngestionErrors;
import health.vigil.terminology.api.Analyte;
import health.vigil.terminology.api.Terminology;
import health.vigil.terminology.api.UnitResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads device templates and checks every field before any message is read: required fields, JSONPath
 * syntax, LOINC codes in the terminology, literal units that fit the code, and no unknown keys (a
 * misspelt key would otherwise be ignored). All errors of a file are reported at once, each with the
 * template and field it is in.
 *
 * <p>A file holds {@code {"templates": [...]}} or a single template object. See docs/ingestion.md for
 * the template language.
 */
final class DeviceTemplates {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Set<String> TEMPLATE_KEYS = Set.of(
            "name",
            "description",
            "match",
            "device",
            "patient",
            "time",
            "end",
            "timeFormat",
            "recordId",
            "code",
            "sourceCode",
            "value",
            "unit",
            "components");

    private final Terminology terminology;

    DeviceTemplates(Terminology terminology) {
        this.terminology = terminology;
    }

    /**
     * The templates in one file, in file order.
     *
     * @param origin where the file came from ({@code classpath:templates/acme.json}, {@code Binary/7}),
     *     for error messages
     * @throws FeedException {@code INVALID_TEMPLATE} naming every problem found
     */
    List<DeviceTemplate> read(String origin, byte[] content) {
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (JsonProcessingException e) {
            throw invalid(origin, List.of("not JSON: " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw invalid(origin, List.of("unreadable: " + e.getMessage()));
        }
        List<String> errors = new ArrayList<>();
        List<JsonNode> nodes = new ArrayList<>();
        if (root != null && root.isObject() && root.has("templates")) {
            JsonNode templates = root.get("templates");
            if (!templates.isArray() || templates.isEmpty()) {
                errors.add("templates: must be a non-empty array");
            } else {
                templates.forEach(nodes::add);
            }
        } else if (root != null && root.isObject()) {
            nodes.add(root);
        } else {
            errors.add("must be a template object or {\"templates\": [...]}");
        }
        List<DeviceTemplate> read = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int index = 0; index < nodes.size(); index++) {
            JsonNode node = nodes.get(index);
            String where = nodes.size() == 1 && !root.has("templates") ? "" : "templates[" + index + "]";
            Checker check = new Checker(where, node, errors);
            String name = node.path("name").asText("");
            if (!name.isEmpty() && !names.add(name)) {
                check.error("name", "'" + name + "' is used by an earlier template");
            }
            template(check).ifPresent(read::add);
        }
        if (!errors.isEmpty()) {
            throw invalid(origin, errors);
        }
        return List.copyOf(read);
    }

    private Optional<DeviceTemplate> template(Checker check) {
        if (!check.node.isObject()) {
            check.error("", "must be a JSON object");
            return Optional.empty();
        }
        Iterator<String> keys = check.node.fieldNames();
        while (keys.hasNext()) {
            String key = keys.next();
            if (!TEMPLATE_KEYS.contains(key)) {
                check.error(key, "unknown key (known: " + String.join(", ", sorted(TEMPLATE_KEYS)) + ")");
            }
        }
        String name = check.requiredText("name");
        JsonPath match = check.path("match", true);
        DeviceTemplate.Identifier device = check.identifier("device", true);
        DeviceTemplate.Identifier patient = check.identifier("patient", false);
        DeviceTemplate.Field time = check.field(check.node, "time", true);
        DeviceTemplate.Field end = check.field(check.node, "end", false);
        DeviceTemplate.TimeFormat timeFormat = check.timeFormat();
        DeviceTemplate.Field recordId = check.field(check.node, "recordId", false);
        if (!check.node.has("device") && !check.node.has("recordId")) {
            check.error(
                    "recordId",
                    "required when the template has no device (a record is otherwise named by device and time)");
        }
        String code = check.requiredText("code");
        Optional<Analyte> analyte = Optional.ofNullable(code).flatMap(given -> {
            Optional<Analyte> known = terminology.analytes().byCode(given);
            if (known.isEmpty()) {
                check.error("code", "LOINC " + given + " is not in Vigil's catalogue of vital signs and lab analytes");
            }
            return known;
        });
        DeviceTemplate.SourceCode sourceCode = check.sourceCode();
        DeviceTemplate.ValueFields value = null;
        List<DeviceTemplate.ComponentFields> components = new ArrayList<>();
        boolean hasValue = check.node.has("value");
        boolean hasComponents = check.node.has("components");
        if (hasValue == hasComponents) {
            check.error("value", "give either value (with unit) or components, not " + (hasValue ? "both" : "neither"));
        } else if (hasValue) {
            value = new DeviceTemplate.ValueFields(
                    check.field(check.node, "value", true), check.field(check.node, "unit", true));
            analyte.filter(found -> !found.quantitative())
                    .ifPresent(found -> check.error("value", found.display() + " has components: use components"));
            analyte.ifPresent(found -> checkUnit(check, "unit", found, check.node.get("unit")));
        } else {
            components = check.components(this, analyte);
        }
        if (!check.ok()) {
            return Optional.empty();
        }
        return Optional.of(new DeviceTemplate(
                name, match, device, patient, time, end, timeFormat, recordId, code, sourceCode, value, components));
    }

    void checkUnit(Checker check, String key, Analyte analyte, JsonNode unit) {
        if (unit == null || !unit.isTextual() || unit.asText().startsWith("$")) {
            return;
        }
        UnitResult normalized = terminology.units().normalize(unit.asText());
        if (normalized instanceof UnitResult.Invalid invalid) {
            check.error(key, "'" + unit.asText() + "' is not a unit: " + invalid.reason());
        } else if (analyte.quantitative()
                && !terminology.analytes().acceptsUnit(analyte, ((UnitResult.Valid) normalized).ucum())) {
            check.error(
                    key,
                    "'" + unit.asText() + "' is not a unit of " + analyte.display() + " (e.g. "
                            + analyte.units().get(0) + ")");
        }
    }

    private static FeedException invalid(String origin, List<String> errors) {
        return new FeedException(
                IngestionErrors.INVALID_TEMPLATE, "device templates " + origin + ": " + String.join("; ", errors));
    }

    private static List<String> sorted(Set<String> keys) {
        String[] ordered = keys.toArray(String[]::new);
        Arrays.sort(ordered);
        return List.of(ordered);
    }

    /** Reads one template's fields, collecting errors with their location. */
    static final class Checker {
        private final String where;
        private final JsonNode node;
        private final List<String> errors;
        private final int errorsBefore;

        Checker(String where, JsonNode node, List<String> errors) {
            this.where = where;
            this.node = node;
            this.errors = errors;
            this.errorsBefore = errors.size();
        }

        boolean ok() {
            return errors.size() == errorsBefore;
        }

        void error(String key, String message) {
            String name = node.path("name").asText("");
            String template = where.isEmpty() ? name : name.isEmpty() ? where : where + " (" + name + ")";
            String location = template.isEmpty() ? key : key.isEmpty() ? template : template + "." + key;
            errors.add(location + ": " + message);
        }

        String requiredText(String key) {
            JsonNode value = node.get(key);
            if (value == null || !value.isTextual() || value.asText().isBlank()) {
                error(key, "required text");
                return null;
            }
            return value.asText();
        }

        JsonPath path(String key, boolean required) {
            JsonNode value = node.get(key);
            if (value == null) {
                if (required) {
                    error(key, "required JSONPath");
                }
                return null;
            }
            if (!value.isTextual() || !value.asText().startsWith("$")) {
                error(key, "must be a JSONPath starting with $");
                return null;
            }
            return compile(key, value.asText());
        }

        DeviceTemplate.Field field(JsonNode parent, String key, boolean required) {
            return field(parent, key, key, required);
        }

        DeviceTemplate.Field field(JsonNode parent, String key, String location, boolean required) {
            JsonNode value = parent.get(key);
            if (value == null || value.isNull()) {
                if (required) {
                    error(location, "required (a literal, or a JSONPath starting with $)");
                }
                return null;
            }
            if (!value.isValueNode()) {
                error(
                        location,
                        "must be a literal or a JSONPath, not "
                                + value.getNodeType().name().toLowerCase());
                return null;
            }
            if (value.isTextual() && value.asText().startsWith("$")) {
                JsonPath path = compile(location, value.asText());
                return path == null ? null : new DeviceTemplate.Path(value.asText(), path);
            }
            return new DeviceTemplate.Literal(value.isTextual() ? value : TextNode.valueOf(value.asText()));
        }

        DeviceTemplate.Identifier identifier(String key, boolean device) {
            JsonNode value = node.get(key);
            if (value == null) {
                return null;
            }
            if (!value.isObject()) {
                error(key, "must be an object with system and id");
                return null;
            }
            Set<String> allowed = device ? Set.of("system", "id", "name") : Set.of("system", "id");
            value.fieldNames().forEachRemaining(inner -> {
                if (!allowed.contains(inner)) {
                    error(key + "." + inner, "unknown key (known: " + String.join(", ", sorted(allowed)) + ")");
                }
            });
            DeviceTemplate.Field system = field(value, "system", key + ".system", true);
            DeviceTemplate.Field id = field(value, "id", key + ".id", true);
            DeviceTemplate.Field name = device ? field(value, "name", key + ".name", false) : null;
            return system == null || id == null ? null : new DeviceTemplate.Identifier(system, id, name);
        }

        DeviceTemplate.TimeFormat timeFormat() {
            JsonNode value = node.get("timeFormat");
            if (value == null) {
                return DeviceTemplate.TimeFormat.ISO_8601;
            }
            for (DeviceTemplate.TimeFormat format : DeviceTemplate.TimeFormat.values()) {
                if (format.configName.equals(value.asText())) {
                    return format;
                }
            }
            error("timeFormat", "'" + value.asText() + "' is not iso-8601, epoch-seconds or epoch-millis");
            return DeviceTemplate.TimeFormat.ISO_8601;
        }

        DeviceTemplate.SourceCode sourceCode() {
            JsonNode value = node.get("sourceCode");
            if (value == null) {
                return null;
            }
            if (!value.isObject()) {
                error("sourceCode", "must be an object with system and code");
                return null;
            }
            DeviceTemplate.Field system = field(value, "system", "sourceCode.system", true);
            DeviceTemplate.Field code = field(value, "code", "sourceCode.code", true);
            DeviceTemplate.Field display = field(value, "display", "sourceCode.display", false);
            return system == null || code == null ? null : new DeviceTemplate.SourceCode(system, code, display);
        }

        List<DeviceTemplate.ComponentFields> components(DeviceTemplates templates, Optional<Analyte> analyte) {
            JsonNode value = node.get("components");
            List<DeviceTemplate.ComponentFields> read = new ArrayList<>();
            if (!value.isArray() || value.isEmpty()) {
                error("components", "must be a non-empty array");
                return read;
            }
            analyte.filter(Analyte::quantitative)
                    .ifPresent(found -> error("components", found.display() + " is one quantity: use value and unit"));
            for (int index = 0; index < value.size(); index++) {
                JsonNode component = value.get(index);
                String at = "components[" + index + "]";
                String code = component.path("code").asText(null);
                Optional<Analyte> part = Optional.ofNullable(code)
                        .flatMap(given -> templates.terminology.analytes().byCode(given));
                if (part.isEmpty()) {
                    error(
                            at + ".code",
                            code == null ? "required LOINC code" : "LOINC " + code + " is not in Vigil's catalogue");
                }
                DeviceTemplate.Field number = field(component, "value", at + ".value", true);
                DeviceTemplate.Field unit = field(component, "unit", at + ".unit", true);
                part.ifPresent(found -> templates.checkUnit(this, at + ".unit", found, component.get("unit")));
                if (code != null && number != null && unit != null) {
                    read.add(new DeviceTemplate.ComponentFields(code, number, unit));
                }
            }
            return read;
        }

        private JsonPath compile(String location, String expression) {
            try {
                return JsonPath.compile(expression);
            } catch (InvalidPathException e) {
                error(location, "'" + expression + "' is not a JSONPath: " + e.getMessage());
                return null;
            }
        }
    }
}
