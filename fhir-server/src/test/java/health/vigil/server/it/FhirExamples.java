package health.vigil.server.it;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The official FHIR R4 examples (npm package {@code hl7.fhir.r4.examples}), as fetched by the build
 * into {@code vigil.it.data}, with the references between them, so they can be loaded in an order
 * that lets the server check every reference.
 */
final class FhirExamples {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LOCAL_REFERENCE =
            Pattern.compile("^([A-Z][A-Za-z]+)/([A-Za-z0-9\\-.]{1,64})(/_history/[A-Za-z0-9\\-.]+)?$");

    private static final Set<String> RESOURCE_TYPES = FhirContext.forR4Cached().getResourceTypes();
    /** Elements whose text can look like {@code Type/id} but is never a reference the server checks. */
    private static final Set<String> NOT_REFERENCES =
            Set.of("id", "div", "fullUrl", "display", "text", "name", "title", "description", "url");

    /** One example resource: its key ({@code Type/id}), JSON text and the local references it makes. */
    record Example(String key, String type, String id, String json, Set<String> references) {}

    private final Map<String, Example> byKey;

    private FhirExamples(Map<String, Example> byKey) {
        this.byKey = byKey;
    }

    static FhirExamples load() {
        Path dir = Path.of(System.getProperty("vigil.it.data", "target/it-data"))
                .resolve("hl7.fhir.r4.examples-" + System.getProperty("vigil.it.fhir-examples.version", "4.0.1"));
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("FHIR R4 examples not found in " + dir.toAbsolutePath()
                    + "; the build fetches them in pre-integration-test (src/test/scripts/fetch-fhir-examples.sh)");
        }
        Map<String, Example> byKey = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                String text = Files.readString(file);
                JsonNode node = JSON.readTree(text);
                if (!node.has("resourceType") || !node.has("id")) {
                    continue;
                }
                String type = node.get("resourceType").asText();
                String id = node.get("id").asText();
                Set<String> references = new LinkedHashSet<>();
                collectReferences(node, references);
                references.remove(type + "/" + id);
                byKey.put(type + "/" + id, new Example(type + "/" + id, type, id, text, references));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FhirExamples(byKey);
    }

    /**
     * Local references: {@code reference} elements, and canonical elements written as relative
     * references (e.g. {@code QuestionnaireResponse.questionnaire = "Questionnaire/gcs"}), which the
     * server resolves and checks too.
     */
    private static void collectReferences(JsonNode node, Set<String> references) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                JsonNode value = field.getValue();
                if (value.isTextual() && !NOT_REFERENCES.contains(field.getKey())) {
                    Matcher matcher = LOCAL_REFERENCE.matcher(value.asText());
                    if (matcher.matches() && RESOURCE_TYPES.contains(matcher.group(1))) {
                        references.add(matcher.group(1) + "/" + matcher.group(2));
                    }
                } else {
                    collectReferences(value, references);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectReferences(child, references));
        }
    }

    List<Example> ofTypes(Collection<String> types) {
        return byKey.values().stream().filter(e -> types.contains(e.type())).toList();
    }

    /** The examples given plus everything they refer to, transitively; missing targets are reported. */
    Map<String, Example> closure(Collection<Example> roots, Set<String> missingTargets) {
        Map<String, Example> result = new LinkedHashMap<>();
        Deque<Example> work = new ArrayDeque<>(roots);
        while (!work.isEmpty()) {
            Example example = work.pop();
            if (result.putIfAbsent(example.key(), example) != null) {
                continue;
            }
            for (String reference : example.references()) {
                Example target = byKey.get(reference);
                if (target == null) {
                    missingTargets.add(reference);
                } else {
                    work.push(target);
                }
            }
        }
        return result;
    }

    /**
     * Groups to load one after another: every group's references point to earlier groups or into the
     * group itself. Groups of more than one example are reference cycles, loaded as one transaction.
     */
    static List<List<Example>> loadOrder(Map<String, Example> examples) {
        // Tarjan's strongly connected components; emitted in reverse topological order (dependencies first).
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new LinkedHashSet<>();
        List<List<Example>> groups = new ArrayList<>();
        int[] counter = {0};
        for (String key : examples.keySet()) {
            if (!index.containsKey(key)) {
                strongConnect(key, examples, index, low, stack, onStack, groups, counter);
            }
        }
        return groups;
    }

    /**
     * The load order as levels: each level's groups refer only to groups of earlier levels (or within
     * themselves), so the groups of one level can be loaded concurrently.
     */
    static List<List<List<Example>>> loadLevels(Map<String, Example> examples) {
        List<List<Example>> groups = loadOrder(examples);
        Map<String, Integer> levelOf = new HashMap<>();
        List<List<List<Example>>> levels = new ArrayList<>();
        for (List<Example> group : groups) {
            Set<String> members = new LinkedHashSet<>();
            group.forEach(e -> members.add(e.key()));
            int level = 0;
            for (Example example : group) {
                for (String reference : example.references()) {
                    if (!members.contains(reference) && levelOf.containsKey(reference)) {
                        level = Math.max(level, levelOf.get(reference) + 1);
                    }
                }
            }
            for (String member : members) {
                levelOf.put(member, level);
            }
            while (levels.size() <= level) {
                levels.add(new ArrayList<>());
            }
            levels.get(level).add(group);
        }
        return levels;
    }

    private static void strongConnect(
            String key,
            Map<String, Example> examples,
            Map<String, Integer> index,
            Map<String, Integer> low,
            Deque<String> stack,
            Set<String> onStack,
            List<List<Example>> groups,
            int[] counter) {
        index.put(key, counter[0]);
        low.put(key, counter[0]);
        counter[0]++;
        stack.push(key);
        onStack.add(key);
        for (String reference : examples.get(key).references()) {
            if (!examples.containsKey(reference)) {
                continue;
            }
            if (!index.containsKey(reference)) {
                strongConnect(reference, examples, index, low, stack, onStack, groups, counter);
                low.put(key, Math.min(low.get(key), low.get(reference)));
            } else if (onStack.contains(reference)) {
                low.put(key, Math.min(low.get(key), index.get(reference)));
            }
        }
        if (low.get(key).equals(index.get(key))) {
            List<Example> group = new ArrayList<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                group.add(examples.get(member));
            } while (!member.equals(key));
            groups.add(group);
        }
    }
}
