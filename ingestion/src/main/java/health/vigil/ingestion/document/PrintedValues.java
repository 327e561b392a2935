package health.vigil.ingestion.document;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a lab report prints in its result, reference range and flag columns: numbers with an
 * optional comparator and a decimal point or comma, ranges {@code a-b}, {@code <x}, {@code >x},
 * {@code up to x}, and the abnormal flags labs print.
 */
final class PrintedValues {

    /** A printed number: {@code <0.01}, {@code >= 60}, {@code 4,1} (decimal comma). */
    record Number(String comparator, BigDecimal value) {}

    /** A printed reference range: either bound may be missing ({@code <200} has no low). */
    record Range(BigDecimal low, BigDecimal high, String text) {
        boolean contains(BigDecimal value) {
            return (low == null || value.compareTo(low) >= 0) && (high == null || value.compareTo(high) <= 0);
        }
    }

    private static final String NUMBER = "(\\d+(?:[.,]\\d+)?)";
    private static final Pattern VALUE = Pattern.compile("(<=|>=|≤|≥|<|>)?\\s*" + NUMBER);
    private static final Pattern BETWEEN = Pattern.compile(NUMBER + "\\s*(?:-|–|—|to)\\s*" + NUMBER);
    private static final Pattern BELOW =
            Pattern.compile("(?:<=|≤|<|up to|upto)\\s*" + NUMBER, Pattern.CASE_INSENSITIVE);
    private static final Pattern ABOVE = Pattern.compile("(?:>=|≥|>)\\s*" + NUMBER);

    /** The flags labs print, to the v3 ObservationInterpretation code each means. */
    private static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("H", "H"),
            Map.entry("HIGH", "H"),
            Map.entry("L", "L"),
            Map.entry("LOW", "L"),
            Map.entry("HH", "HH"),
            Map.entry("H*", "HH"),
            Map.entry("LL", "LL"),
            Map.entry("L*", "LL"),
            Map.entry("A", "A"),
            Map.entry("*", "A"),
            Map.entry("ABN", "A"),
            Map.entry("ABNORMAL", "A"),
            Map.entry("AA", "AA"),
            Map.entry("N", "N"),
            Map.entry("NORMAL", "N"));

    private PrintedValues() {}

    /** A result that is a number, whole: {@code 104.2}, {@code <0.01}; empty for anything else. */
    static Optional<Number> number(String printed) {
        Matcher matcher = VALUE.matcher(printed.strip());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        String comparator = matcher.group(1) == null ? null : comparator(matcher.group(1));
        return decimal(matcher.group(2)).map(value -> new Number(comparator, value));
    }

    /** A reference range, whole: {@code 70-99}, {@code 3.5 - 5.1}, {@code <200}, {@code >=60}. */
    static Optional<Range> range(String printed) {
        String text = printed.strip();
        Matcher between = BETWEEN.matcher(text);
        if (between.matches()) {
            Optional<BigDecimal> low = decimal(between.group(1));
            Optional<BigDecimal> high = decimal(between.group(2));
            if (low.isPresent() && high.isPresent() && low.get().compareTo(high.get()) <= 0) {
                return Optional.of(new Range(low.get(), high.get(), text));
            }
            return Optional.empty();
        }
        Matcher below = BELOW.matcher(text);
        if (below.matches()) {
            return decimal(below.group(1)).map(high -> new Range(null, high, text));
        }
        Matcher above = ABOVE.matcher(text);
        if (above.matches()) {
            return decimal(above.group(1)).map(low -> new Range(low, null, text));
        }
        return Optional.empty();
    }

    /** The v3 ObservationInterpretation code a printed flag means, if it is one. */
    static Optional<String> flag(String printed) {
        return Optional.ofNullable(FLAGS.get(printed.strip().toUpperCase(Locale.ROOT)));
    }

    static boolean isFlag(String printed) {
        return flag(printed).isPresent();
    }

    private static String comparator(String printed) {
        return switch (printed) {
            case "≤" -> "<=";
            case "≥" -> ">=";
            default -> printed;
        };
    }

    /**
     * A decimal with a point or a comma. A comma before exactly three digits is not read: {@code 1,234}
     * is a thousands separator in one country and a decimal comma in the next, and a wrong guess is a
     * thousandfold error.
     */
    private static Optional<BigDecimal> decimal(String printed) {
        if (printed.matches("\\d+,\\d{3}")) {
            return Optional.empty();
        }
        return Optional.of(new BigDecimal(printed.replace(',', '.')));
    }
}
