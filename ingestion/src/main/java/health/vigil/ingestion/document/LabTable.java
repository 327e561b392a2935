package health.vigil.ingestion.document;

import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Map;

/**
 * What a lab report prints, read off its pages but not yet interpreted: the result rows of its table
 * and the report's details.
 *
 * @param rows the result rows, in page and line order
 * @param collected when the specimen was collected, as printed and parsed ({@code LocalDate},
 *     {@code LocalDateTime}); {@code null} if not printed or not readable
 * @param specimen the specimen printed for the report ({@code Serum}), or {@code null}
 * @param laboratory the performing laboratory's name, or {@code null}
 */
record LabTable(List<Row> rows, TemporalAccessor collected, String specimen, String laboratory) {

    LabTable {
        rows = List.copyOf(rows);
    }

    /**
     * One printed result row, each column's text as printed ({@code ""} when the column is empty).
     *
     * @param page 1-based page number
     * @param section the heading the row is under ({@code URINALYSIS}), or {@code null}
     * @param words every word of the row, for its box and confidence
     * @param flagCell where on the page the row's flag is printed if it has one: left, top, right,
     *     bottom in 300-DPI pixels (the flag column, or right after the value where the layout prints
     *     flags there)
     * @param cells the row's words by the column they stand in, as printed (before a unit printed in the
     *     result column is moved to the unit), for reading a cell again
     */
    record Row(
            int page,
            String section,
            String name,
            String result,
            String unit,
            String range,
            String flag,
            List<Word> words,
            double[] flagCell,
            Map<LabTableParser.Column, List<Word>> cells) {

        Row {
            words = List.copyOf(words);
            cells = Map.copyOf(cells);
        }

        /** The lowest word confidence of the row, 0 to 100. */
        float confidence() {
            return (float) words.stream().mapToDouble(Word::confidence).min().orElse(0);
        }

        /** The row's box on its page: x, y, width, height in 300-DPI pixels. */
        double[] box() {
            double left = words.stream().mapToDouble(Word::x).min().orElse(0);
            double top = words.stream().mapToDouble(Word::y).min().orElse(0);
            double right = words.stream().mapToDouble(Word::right).max().orElse(0);
            double bottom = words.stream().mapToDouble(Word::bottom).max().orElse(0);
            return new double[] {left, top, right - left, bottom - top};
        }

        /** The row as printed, words left to right. */
        String text() {
            return String.join(" ", words.stream().map(Word::text).toList());
        }
    }
}
