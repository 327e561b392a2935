package health.vigil.ingestion.document;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads again, on its own, what the OCR of a whole page got wrong, and keeps a second reading only where
 * it makes a row pass every check ({@link LabResults}); otherwise the first reading stays and the row goes
 * to review as read. Tesseract segments a whole page at once: it drops lines and one-letter flags, and
 * misreads digits, decimal points and the letters of units. Read alone, in single-line mode, with only the
 * characters its column may hold, a word often comes out right.
 *
 * <ol>
 *   <li>A band of the table where a row should be and none was read is read as one line.
 *   <li>A row outside its printed range that shows no flag has its flag cell read, for the letter the value
 *       points to.
 *   <li>A row that fails a check has each word of its cells read again in a few boxes; the text most of them
 *       read replaces the first reading, cell by cell and then in combination, the first combination that
 *       passes every check kept. A second reading that agrees with the first confirms it.
 * </ol>
 */
final class SecondReading {

    /** The cells whose words are read again, in the order their second readings are tried. */
    private static final List<LabTableParser.Column> REREAD = List.of(
            LabTableParser.Column.RESULT,
            LabTableParser.Column.UNIT,
            LabTableParser.Column.RANGE,
            LabTableParser.Column.TEST);

    /** A range's characters: digits, decimal marks, comparators, the dash. */
    private static final String RANGE = "0123456789.,<>=-";

    /** A value's characters, and the letters of a flag printed against it ({@code 41L}). */
    private static final String VALUE = "0123456789.,<>=HLA";

    /**
     * The characters lab units are spelt with: no b, j, v, w, y, z, which OCR reads for the L, l and U
     * of units, and no %, which it reads for the ^ of {@code x10^3/uL} (a lone % is not read again).
     */
    private static final String UNIT = "0123456789./^*()[]{}_µμacdefghiklmnopqrstuxCEGIKLMNOPSTU";

    /** The characters analyte names are printed with. */
    private static final String NAME = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789,.()-/%+#'";

    /** How far around a word the boxes read again reach, across and up and down, in word heights. */
    private static final double[][] PADS = {{0.35, 0.5, 1}, {0.6, 0.5, 1}, {0.25, 0.3, 1}, {0.35, 0.5, 2}};

    /**
     * What a word of a cell may be read as: the first word of a result is the value, a flag after it is
     * left as read, the rest is its unit; the first word of a range is the range, what follows it a unit.
     */
    private static String characters(LabTableParser.Column column, int index, Word word) {
        return switch (column) {
            case RESULT -> index == 0
                    ? VALUE
                    : PrintedValues.isFlag(word.text()) || word.text().equals("%") ? null : UNIT;
            case RANGE -> index == 0 || word.text().matches("[<>≤≥=]+")
                    ? RANGE
                    : word.text().equals("%") ? null : UNIT;
            case UNIT -> word.text().equals("%") ? null : UNIT;
            case TEST -> NAME;
            default -> null;
        };
    }

    /** The confidence a flag read on its own must have. */
    private static final float FLAG_CONFIDENCE = 80f;

    private final TesseractOcr ocr;
    private final LabResults checks;

    SecondReading(TesseractOcr ocr, LabResults checks) {
        this.ocr = ocr;
        this.checks = checks;
    }

    /** The page with the lines it dropped, the flags it dropped and the rows it misread read again. */
    Page improve(Page page, TesseractOcr.Reading reading) {
        return withRowsRead(withFlagsRead(withLinesFound(page, reading), reading), reading);
    }

    /**
     * Reads again, word by word, the rows that fail a check: each word of the result, unit, range and
     * flag cells alone, in single-line mode, with only the characters its column may hold (digits and
     * signs for a result or range, the letters of units for a unit). Read alone a word often comes out
     * right where the page's reading misread a digit, a decimal point or a unit's letter. A cell's
     * second reading replaces its first only if the row then passes every check; otherwise the first
     * stays, and the row goes to review as read.
     */
    private Page withRowsRead(Page page, TesseractOcr.Reading reading) {
        LabTable table = LabTableParser.parse(List.of(page));
        List<Word> words = new ArrayList<>(page.words());
        boolean changed = false;
        for (LabTable.Row row : table.rows()) {
            if (checks.interpret(row, table.specimen()).confident()) {
                continue;
            }
            double height = Lines.medianHeight(row.words());
            Map<Word, Word> again = new LinkedHashMap<>();
            Map<Word, Word> confirmed = new LinkedHashMap<>();
            for (LabTableParser.Column column : REREAD) {
                List<Word> cell = row.cells().getOrDefault(column, List.of());
                for (int index = 0; index < cell.size(); index++) {
                    Word word = cell.get(index);
                    String characters = characters(column, index, word);
                    if (characters == null) {
                        continue;
                    }
                    Optional<Word> read = readAgain(reading, word, height, characters);
                    if (read.isEmpty()) {
                        continue;
                    }
                    Word second = read.get();
                    if (!second.text().equals(word.text())) {
                        again.put(word, second);
                    } else if (second.confidence() > word.confidence()) {
                        // Two readings agree: the word is as sure as the surer of them.
                        confirmed.put(word, word.withConfidence(second.confidence()));
                    }
                }
            }
            List<Word> current = replaced(words, confirmed);
            List<Map<Word, Word>> candidates = new ArrayList<>();
            if (!confirmed.isEmpty()) {
                candidates.add(Map.of());
            }
            candidates.addAll(candidates(row, again));
            Optional<List<Word>> sound = candidates.stream()
                    .map(replaced -> sound(page, replaced(current, replaced), row, reading))
                    .flatMap(Optional::stream)
                    .findFirst();
            if (sound.isPresent()) {
                words = sound.get();
                changed = true;
            }
        }
        return changed ? page.with(words) : page;
    }

    /**
     * A word read again in boxes of a few margins: the text most of them read, as sure as the surest
     * of those; nothing when no text is read by more than one.
     */
    private Optional<Word> readAgain(TesseractOcr.Reading reading, Word word, double height, String characters) {
        Map<String, Word> best = new LinkedHashMap<>();
        Map<String, Integer> votes = new LinkedHashMap<>();
        for (double[] pad : PADS) {
            double[] box = {
                word.x() - pad[0] * height,
                word.y() - pad[1] * height,
                word.right() + pad[0] * height,
                word.bottom() + pad[1] * height
            };
            List<Word> read = ocr.readLine(reading, box, characters, (int) pad[2]);
            if (read.size() != 1) {
                continue;
            }
            Word found = read.get(0);
            votes.merge(found.text(), 1, Integer::sum);
            best.merge(found.text(), found, (a, b) -> a.confidence() >= b.confidence() ? a : b);
        }
        return votes.entrySet().stream()
                .filter(vote -> vote.getValue() > 1)
                .max(Map.Entry.comparingByValue())
                .map(vote -> best.get(vote.getKey()));
    }

    /** What to try, fewest changes first: each cell's second reading alone, then every pair, and so on. */
    private static List<Map<Word, Word>> candidates(LabTable.Row row, Map<Word, Word> again) {
        List<Map<Word, Word>> cells = new ArrayList<>();
        for (LabTableParser.Column column : REREAD) {
            Map<Word, Word> cell = new LinkedHashMap<>();
            for (Word word : row.cells().getOrDefault(column, List.of())) {
                if (again.containsKey(word)) {
                    cell.put(word, again.get(word));
                }
            }
            if (!cell.isEmpty()) {
                cells.add(cell);
            }
        }
        List<Map<Word, Word>> candidates = new ArrayList<>();
        for (int size = 1; size <= cells.size(); size++) {
            for (int subset = 1; subset < 1 << cells.size(); subset++) {
                if (Integer.bitCount(subset) != size) {
                    continue;
                }
                Map<Word, Word> candidate = new LinkedHashMap<>();
                for (int cell = 0; cell < cells.size(); cell++) {
                    if ((subset & 1 << cell) != 0) {
                        candidate.putAll(cells.get(cell));
                    }
                }
                candidates.add(candidate);
            }
        }
        return candidates;
    }

    private static List<Word> replaced(List<Word> words, Map<Word, Word> replacements) {
        if (replacements.isEmpty()) {
            return words;
        }
        return words.stream().map(word -> replacements.getOrDefault(word, word)).toList();
    }

    /** Whether the row, with the page's words replaced, passes every check. */
    private Optional<List<Word>> sound(Page page, List<Word> words, LabTable.Row row, TesseractOcr.Reading reading) {
        Optional<LabResult> again = resultAt(page, words, row);
        if (again.isEmpty()) {
            return Optional.empty();
        }
        if (again.get().confident()) {
            return Optional.of(words);
        }
        // A value read right the second time may be outside its range, its flag dropped by the page's reading.
        Optional<Word> flag = missingFlag(again.get().row(), reading);
        if (flag.isEmpty()) {
            return Optional.empty();
        }
        List<Word> flagged = new ArrayList<>(words);
        flagged.add(flag.get());
        return resultAt(page, flagged, row).filter(LabResult::confident).map(reread -> flagged);
    }

    /** The row at the same place on the page with these words, checked. */
    private Optional<LabResult> resultAt(Page page, List<Word> words, LabTable.Row row) {
        LabTable table = LabTableParser.parse(List.of(page.with(words)));
        return table.rows().stream()
                .filter(other -> overlaps(other.box(), row.box()))
                .findFirst()
                .map(other -> checks.interpret(other, table.specimen()));
    }

    /** Whether two boxes ({@code x, y, width, height}) share most of their height. */
    private static boolean overlaps(double[] a, double[] b) {
        double shared = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
        return shared > 0.5 * Math.min(a[3], b[3]);
    }

    /**
     * Reads again the flag cells of rows whose value is outside their printed range but that show no
     * flag: Tesseract's page segmentation drops most one-letter words standing alone in a column. What a
     * cell yields is taken only if it is the flag pointing the value's way (H above, L below).
     */
    private Page withFlagsRead(Page page, TesseractOcr.Reading reading) {
        List<Word> found = new ArrayList<>();
        for (LabTable.Row row : LabTableParser.parse(List.of(page)).rows()) {
            missingFlag(row, reading).ifPresent(found::add);
        }
        if (found.isEmpty()) {
            return page;
        }
        List<Word> words = new ArrayList<>(page.words());
        words.addAll(found);
        return page.with(words);
    }

    /**
     * Reads on its own each band of the table where a row should be and none was read: the page's
     * reading sometimes drops a whole line. A band between two rows further apart than one and a half
     * times the table's usual spacing is read in single-line mode; what it yields is kept if it is a
     * row (a name and a result apart), to be checked as any other.
     */
    private Page withLinesFound(Page page, TesseractOcr.Reading reading) {
        List<LabTable.Row> rows = LabTableParser.parse(List.of(page)).rows();
        if (rows.size() < 3) {
            return page;
        }
        List<Double> spacings = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            spacings.add(rows.get(i).box()[1] - rows.get(i - 1).box()[1]);
        }
        double spacing = spacings.stream().sorted().toList().get(spacings.size() / 2);
        List<Word> words = new ArrayList<>(page.words());
        boolean changed = false;
        for (int i = 1; i < rows.size(); i++) {
            double[] above = rows.get(i - 1).box();
            double[] below = rows.get(i).box();
            double gap = below[1] - above[1];
            if (spacing <= 0 || gap < 1.5 * spacing || gap > 2.5 * spacing) {
                continue;
            }
            double height = Lines.medianHeight(rows.get(i).words());
            double[] band = {
                Math.min(above[0], below[0]) - height,
                above[1] + above[3] + 0.15 * height,
                Math.max(above[0] + above[2], below[0] + below[2]) + 2 * height,
                below[1] - 0.15 * height
            };
            List<Word> found = ocr.readLine(reading, band, "");
            if (found.isEmpty()) {
                continue;
            }
            // What the page's reading made of the band, if anything, is replaced by the band's reading.
            List<Word> candidate = new ArrayList<>(words);
            candidate.removeIf(word -> word.centerY() > band[1]
                    && word.centerY() < band[3]
                    && word.x() + word.width() / 2 > band[0]
                    && word.x() + word.width() / 2 < band[2]);
            candidate.addAll(found);
            double[] line = {band[0], band[1], band[2] - band[0], band[3] - band[1]};
            int before = LabTableParser.parse(List.of(page.with(words))).rows().size();
            List<LabTable.Row> after =
                    LabTableParser.parse(List.of(page.with(candidate))).rows();
            if (after.size() == before + 1 && after.stream().anyMatch(row -> overlaps(row.box(), line))) {
                words = candidate;
                changed = true;
            }
        }
        return changed ? page.with(words) : page;
    }

    /** The flag of a row outside its printed range that shows none, read from its flag cell alone. */
    private Optional<Word> missingFlag(LabTable.Row row, TesseractOcr.Reading reading) {
        var value = PrintedValues.number(row.result());
        var range = PrintedValues.range(row.range());
        if (!row.flag().isEmpty()
                || value.isEmpty()
                || value.get().comparator() != null
                || range.isEmpty()
                || range.get().contains(value.get().value())) {
            return Optional.empty();
        }
        String flag = range.get().high() != null
                        && value.get().value().compareTo(range.get().high()) > 0
                ? "H"
                : "L";
        return ocr.readCell(reading, row.flagCell(), flag, FLAG_CONFIDENCE)
                .filter(word -> word.text().equals(flag));
    }
}
