package health.vigil.ingestion.document;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the result table of a lab report by layout: words into lines by position, the header line by
 * its column names (test, result, unit, reference range, flag), each later word into the column whose
 * heading starts at or just right of where the word starts. Values that labs print in one column with
 * the result ({@code 104 mg/dL}, {@code 6.1 H}) or with the range ({@code 70-99 mg/dL}) are split off.
 *
 * <p>Nothing is interpreted here: cells stay text, so that a reviewer sees what was printed.
 */
final class LabTableParser {

    enum Column {
        TEST,
        RESULT,
        UNIT,
        RANGE,
        FLAG
    }

    private static final Map<String, Column> HEADINGS = Map.ofEntries(
            Map.entry("test", Column.TEST),
            Map.entry("tests", Column.TEST),
            Map.entry("analyte", Column.TEST),
            Map.entry("component", Column.TEST),
            Map.entry("parameter", Column.TEST),
            Map.entry("investigation", Column.TEST),
            Map.entry("examination", Column.TEST),
            Map.entry("result", Column.RESULT),
            Map.entry("results", Column.RESULT),
            Map.entry("value", Column.RESULT),
            Map.entry("unit", Column.UNIT),
            Map.entry("units", Column.UNIT),
            Map.entry("uom", Column.UNIT),
            Map.entry("reference", Column.RANGE),
            Map.entry("ref", Column.RANGE),
            Map.entry("range", Column.RANGE),
            Map.entry("interval", Column.RANGE),
            Map.entry("normal", Column.RANGE),
            Map.entry("flag", Column.FLAG),
            Map.entry("flags", Column.FLAG),
            Map.entry("abn", Column.FLAG),
            Map.entry("abnormal", Column.FLAG),
            Map.entry("indicator", Column.FLAG));

    private static final Pattern GLUED_FLAG = Pattern.compile("([<>]?\\d+(?:[.,]\\d+)?)(HH|LL|H|L|A|\\*)");
    private static final Pattern COLLECTED = Pattern.compile(
            "(?i)(?:date\\s+)?(?:collected|collection(?:\\s+date)?|collection\\s+time|specimen\\s+collected|sample\\s+date)"
                    + "(?:\\s+on)?\\s*:?\\s*(.+)");
    private static final Pattern SPECIMEN = Pattern.compile("(?i)(?:specimen|sample)(?:\\s+type)?\\s*:\\s*(.+)");
    private static final Pattern LABORATORY = Pattern.compile("(?i)(?:performing\\s+)?lab(?:oratory)?\\s*:\\s*(.+)");
    private static final Pattern LAB_NAME = Pattern.compile("(?i).*\\b(laborator(?:y|ies)|labs?|diagnostics)\\b.*");
    private static final List<DateTimeFormatter> DATE_TIMES = List.of(
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"),
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm"),
            DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm"),
            DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm"),
            DateTimeFormatter.ofPattern("d MMM yyyy HH:mm", Locale.ENGLISH));
    private static final List<DateTimeFormatter> DATES = List.of(
            DateTimeFormatter.ofPattern("yyyy-MM-dd"),
            DateTimeFormatter.ofPattern("MM/dd/yyyy"),
            DateTimeFormatter.ofPattern("dd.MM.yyyy"),
            DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH));

    private static final Pattern TEN_TO_THE = Pattern.compile("(?i)^[-~]?x?10[%*^]{1,2}(\\d{1,2})(?=/)");

    private LabTableParser() {}

    static LabTable parse(List<Page> pages) {
        List<LabTable.Row> rows = new ArrayList<>();
        TemporalAccessor collected = null;
        String specimen = null;
        String laboratory = null;
        for (Page page : pages) {
            List<List<Word>> lines = Lines.of(page.words());
            double height = Lines.medianHeight(page.words());
            Map<Column, Double> columns = null;
            String section = null;
            for (int index = 0; index < lines.size(); index++) {
                List<Word> line = lines.get(index);
                Map<Column, Double> header = header(line);
                if (header != null) {
                    columns = header;
                    section = null;
                    continue;
                }
                for (String segment : segments(line, height)) {
                    if (collected == null) {
                        collected = match(COLLECTED, segment)
                                .map(LabTableParser::dateTime)
                                .orElse(null);
                    }
                    if (specimen == null) {
                        specimen = match(SPECIMEN, segment).orElse(null);
                    }
                    if (laboratory == null) {
                        laboratory = match(LABORATORY, segment).orElse(null);
                    }
                }
                if (laboratory == null
                        && page.number() == 1
                        && index == 0
                        && LAB_NAME.matcher(text(line)).matches()) {
                    laboratory = text(line);
                }
                if (columns == null) {
                    continue;
                }
                Map<Column, List<Word>> cells = cells(line, columns, height);
                boolean named = !cells.get(Column.TEST).isEmpty();
                boolean resulted = !cells.get(Column.RESULT).isEmpty();
                if (named && resulted && separated(cells, height)) {
                    rows.add(row(page.number(), section, cells, line, columns, height));
                } else if (named && line.size() == cells.get(Column.TEST).size()) {
                    section = text(line);
                }
            }
        }
        return new LabTable(rows, collected, specimen, laboratory);
    }

    /** The columns' left edges if the line is a table header: test and result and one more column named. */
    private static Map<Column, Double> header(List<Word> line) {
        Map<Column, Double> starts = new EnumMap<>(Column.class);
        for (Word word : line) {
            String key = word.text().toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
            Column column = HEADINGS.get(key);
            if (column == null) {
                if (!key.isEmpty() && !key.equals("name") && !key.equals("of") && !key.equals("s")) {
                    return null;
                }
                continue;
            }
            starts.merge(column, word.x(), Math::min);
        }
        boolean header = starts.size() >= 3 && starts.containsKey(Column.TEST) && starts.containsKey(Column.RESULT);
        return header ? starts : null;
    }

    /** The line's words by column: each goes to the rightmost column that starts at or left of it. */
    private static Map<Column, List<Word>> cells(List<Word> line, Map<Column, Double> columns, double height) {
        Map<Column, List<Word>> cells = new EnumMap<>(Column.class);
        for (Column column : Column.values()) {
            cells.put(column, new ArrayList<>());
        }
        double tolerance = 0.6 * height;
        for (Word word : line) {
            Column best = Column.TEST;
            double bestStart = -Double.MAX_VALUE;
            for (Map.Entry<Column, Double> column : columns.entrySet()) {
                if (column.getValue() <= word.x() + tolerance && column.getValue() > bestStart) {
                    best = column.getKey();
                    bestStart = column.getValue();
                }
            }
            cells.get(best).add(word);
        }
        return cells;
    }

    /**
     * Whether name and result stand apart as table cells do. A sentence that runs across the columns
     * ("End of report. Results reviewed by ...") has only word spaces between them.
     */
    private static boolean separated(Map<Column, List<Word>> cells, double height) {
        List<Word> name = cells.get(Column.TEST);
        Word lastOfName = name.get(name.size() - 1);
        Word firstOfResult = cells.get(Column.RESULT).get(0);
        return firstOfResult.x() - lastOfName.right() >= 0.8 * height;
    }

    private static LabTable.Row row(
            int page,
            String section,
            Map<Column, List<Word>> cells,
            List<Word> line,
            Map<Column, Double> columns,
            double height) {
        // OCR reads a lower-case l as a bar ("cholestero|"); no analyte name has a bar in it.
        String name = text(cells.get(Column.TEST)).replace('|', 'l');
        List<String> result = new ArrayList<>(tokens(cells.get(Column.RESULT)));
        List<String> unit = new ArrayList<>(tokens(cells.get(Column.UNIT)));
        List<String> range = new ArrayList<>(tokens(cells.get(Column.RANGE)));
        List<String> flag = new ArrayList<>(tokens(cells.get(Column.FLAG)));
        result.replaceAll(LabTableParser::trimmed);
        unit.replaceAll(LabTableParser::trimmed);
        range.replaceAll(LabTableParser::trimmed);
        flag.replaceAll(LabTableParser::trimmed);
        result.removeIf(String::isEmpty);
        unit.removeIf(String::isEmpty);
        range.removeIf(String::isEmpty);
        flag.removeIf(String::isEmpty);
        // A flag printed against the value: "3.21H".
        if (result.size() == 1) {
            Matcher glued = GLUED_FLAG.matcher(result.get(0));
            if (glued.matches()) {
                result.set(0, glued.group(1));
                result.add(glued.group(2));
            }
        }
        // "< 0.01" printed as two words is one value.
        if (result.size() >= 2 && result.get(0).matches("<=|>=|<|>|≤|≥")) {
            result.set(0, result.get(0) + result.remove(1));
        }
        // What follows the value in the result column: a flag, else the unit.
        while (result.size() > 1) {
            String last = result.remove(result.size() - 1);
            if (PrintedValues.isFlag(last) && flag.isEmpty()) {
                flag.add(last);
            } else {
                unit.add(0, last);
            }
        }
        // A unit printed after the range, in the range column.
        if (range.size() > 1
                && PrintedValues.range(String.join(" ", range)).isEmpty()
                && PrintedValues.range(String.join(" ", range.subList(0, range.size() - 1)))
                        .isPresent()) {
            String last = range.remove(range.size() - 1);
            if (unit.isEmpty()) {
                unit.add(last);
            }
        }
        return new LabTable.Row(
                page,
                section,
                name,
                String.join(" ", result),
                exponent(String.join(" ", unit)),
                String.join(" ", range),
                String.join(" ", flag),
                line,
                flagCell(cells, line, columns, height),
                cells);
    }

    /**
     * A power of ten in a unit as OCR reads its small raised caret: {@code x10%3/uL}, {@code x10*%3/uL}
     * are {@code x10^3/uL}. A {@code %} or {@code *} between 10 and a digit has no other meaning in a unit
     * ({@code *} is UCUM's own power sign).
     */
    static String exponent(String unit) {
        return TEN_TO_THE.matcher(unit).replaceAll("x10^$1");
    }

    /** Where the row's flag is printed if it has one: its column, or right after the value. */
    private static double[] flagCell(
            Map<Column, List<Word>> cells, List<Word> line, Map<Column, Double> columns, double height) {
        double top = line.stream().mapToDouble(Word::y).min().orElse(0) - 0.3 * height;
        double bottom = line.stream().mapToDouble(Word::bottom).max().orElse(0) + 0.3 * height;
        Double flagStart = columns.get(Column.FLAG);
        double left;
        double from;
        if (flagStart != null) {
            left = flagStart - 0.6 * height;
            from = flagStart;
        } else {
            List<Word> result = cells.get(Column.RESULT);
            left = result.get(0).right() + 0.3 * height;
            from = columns.get(Column.RESULT);
        }
        double right = columns.values().stream()
                        .filter(start -> start > from)
                        .mapToDouble(Double::doubleValue)
                        .min()
                        .orElse(left + 5 * height)
                - 0.3 * height;
        return new double[] {left, top, Math.max(right, left + height), bottom};
    }

    /** The line split where words are further apart than two word heights: "Collected: ..." "Specimen: ...". */
    private static List<String> segments(List<Word> line, double height) {
        List<String> segments = new ArrayList<>();
        StringBuilder segment = new StringBuilder();
        Word previous = null;
        for (Word word : line) {
            if (previous != null && word.x() - previous.right() > 2 * height) {
                segments.add(segment.toString());
                segment.setLength(0);
            }
            segment.append(segment.isEmpty() ? "" : " ").append(word.text());
            previous = word;
        }
        segments.add(segment.toString());
        return segments;
    }

    private static java.util.Optional<String> match(Pattern pattern, String segment) {
        Matcher matcher = pattern.matcher(segment.strip());
        return matcher.matches() ? java.util.Optional.of(matcher.group(1).strip()) : java.util.Optional.empty();
    }

    /** A printed date or date and time, or {@code null} when it is neither in a known form. */
    static TemporalAccessor dateTime(String printed) {
        String text = printed.strip().replaceAll("\\s+", " ");
        for (DateTimeFormatter format : DATE_TIMES) {
            try {
                return LocalDateTime.parse(text, format);
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        for (DateTimeFormatter format : DATES) {
            try {
                return LocalDate.parse(text, format);
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return null;
    }

    /**
     * A token without the specks OCR reads at its ends on a noisy scan: a trailing full stop or comma,
     * stray quotes. "mg/dL." is "mg/dL"; a decimal point inside a number is kept.
     */
    private static String trimmed(String token) {
        return token.replaceAll("^[‘’“”'\"`,.:;]+", "").replaceAll("[‘’“”'\"`,.:;]+$", "");
    }

    private static List<String> tokens(List<Word> words) {
        return words.stream().map(Word::text).toList();
    }

    private static String text(List<Word> words) {
        return String.join(" ", tokens(words));
    }
}
