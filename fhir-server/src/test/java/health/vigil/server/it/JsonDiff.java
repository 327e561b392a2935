package health.vigil.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.TreeSet;

/** The first place where two JSON trees differ, for readable test failures. */
final class JsonDiff {

    private JsonDiff() {}

    static Optional<String> firstDifference(JsonNode expected, JsonNode actual) {
        return diff("$", expected, actual);
    }

    private static Optional<String> diff(String path, JsonNode expected, JsonNode actual) {
        if (expected == null || actual == null) {
            return expected == actual
                    ? Optional.empty()
                    : Optional.of(path + ": expected " + expected + " but was " + actual);
        }
        if (expected.isObject() && actual.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                Optional<String> difference = diff(path + "." + name, expected.get(name), actual.get(name));
                if (difference.isPresent()) {
                    return difference;
                }
            }
            return Optional.empty();
        }
        if (expected.isArray() && actual.isArray()) {
            if (expected.size() != actual.size()) {
                return Optional.of(path + ": expected " + expected.size() + " items but was " + actual.size());
            }
            for (int i = 0; i < expected.size(); i++) {
                Optional<String> difference = diff(path + "[" + i + "]", expected.get(i), actual.get(i));
                if (difference.isPresent()) {
                    return difference;
                }
            }
            return Optional.empty();
        }
        return expected.equals(actual)
                ? Optional.empty()
                : Optional.of(path + ": expected " + abbreviate(expected) + " but was " + abbreviate(actual));
    }

    private static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
