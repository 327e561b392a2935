package health.vigil.ingestion.document;

import health.vigil.terminology.api.Analyte;
import health.vigil.terminology.api.AnalyteCatalog;
import health.vigil.terminology.api.AnalyteMatch;
import health.vigil.terminology.api.AnalyteQuery;
import health.vigil.terminology.api.Conversion;
import health.vigil.terminology.api.UnitResult;
import health.vigil.terminology.api.Units;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Interprets printed rows, conservatively. OCR confidence alone does not catch a lost decimal point
 * ({@code 4.1} read as {@code 41} at confidence 80), so each row is also checked against what the
 * analyte can be and against itself: a unit the analyte is reported in, a value a living patient can
 * have, a value consistent with the printed range and flag. Any failed check sends the row to review.
 */
final class LabResults {

    private static final BigDecimal TEN = BigDecimal.TEN;

    private final AnalyteCatalog analytes;
    private final Units units;
    private final float minConfidence;

    /** @param minConfidence the lowest OCR word confidence (0 to 100) a row may have and not be reviewed */
    LabResults(AnalyteCatalog analytes, Units units, float minConfidence) {
        this.analytes = analytes;
        this.units = units;
        this.minConfidence = minConfidence;
    }

    List<LabResult> interpret(LabTable table) {
        return table.rows().stream()
                .map(row -> interpret(row, table.specimen()))
                .toList();
    }

    LabResult interpret(LabTable.Row row, String reportSpecimen) {
        List<String> reasons = new ArrayList<>();
        PrintedValues.Number value = PrintedValues.number(row.result()).orElse(null);
        if (value == null) {
            reasons.add("the result \"" + row.result() + "\" is not a number");
        }
        String unit = null;
        if (!row.unit().isEmpty()) {
            UnitResult normalized = units.normalize(row.unit());
            if (normalized instanceof UnitResult.Valid valid) {
                unit = valid.ucum();
            } else {
                reasons.add("the unit \"" + row.unit() + "\" is not recognised");
            }
        }
        Analyte analyte = analyte(row, reportSpecimen, reasons);
        if (analyte != null && analyte.quantitative()) {
            if (row.unit().isEmpty()) {
                reasons.add("no unit printed");
            } else if (unit != null && !analytes.acceptsUnit(analyte, unit)) {
                reasons.add(analyte.code() + " is not reported in " + unit);
                unit = null;
            }
        }
        PrintedValues.Range range = null;
        if (!row.range().isEmpty()) {
            range = PrintedValues.range(row.range()).orElse(null);
            if (range == null) {
                reasons.add("the reference range \"" + row.range() + "\" is not readable");
            }
        }
        String interpretation = null;
        if (!row.flag().isEmpty()) {
            interpretation = PrintedValues.flag(row.flag()).orElse(null);
            if (interpretation == null) {
                reasons.add("the flag \"" + row.flag() + "\" is not one Vigil knows");
            }
        }
        if (value != null && analyte != null && unit != null) {
            plausible(analyte, value.value(), unit).ifPresent(reasons::add);
        }
        if (value != null && value.comparator() == null && range != null) {
            consistent(value.value(), range, row.flag().isEmpty() ? null : interpretation)
                    .ifPresent(reasons::add);
        }
        if (row.confidence() < minConfidence) {
            reasons.add("OCR confidence " + Math.round(row.confidence()) + " is below " + Math.round(minConfidence));
        }
        return new LabResult(row, analyte, value, unit, range, interpretation, reasons);
    }

    private Analyte analyte(LabTable.Row row, String reportSpecimen, List<String> reasons) {
        // The name first: "Glucose, blood" says its specimen, whatever the report's header says. The
        // section's or report's specimen only chooses where the name alone fits several codes.
        AnalyteQuery query = new AnalyteQuery(row.name(), row.unit().isEmpty() ? null : row.unit(), null);
        AnalyteMatch match = analytes.match(query);
        String specimen = specimen(row.section() != null ? row.section() : reportSpecimen);
        if (!(match instanceof AnalyteMatch.Matched) && specimen != null) {
            match = analytes.match(query.withSpecimen(specimen));
        }
        if (match instanceof AnalyteMatch.Matched matched) {
            if (matched.basis() == AnalyteMatch.Basis.FUZZY) {
                // A close name is a guess ("Vitamin Q" is close to "Vitamin D"): no code, and a person
                // is told which analyte it resembles.
                reasons.add("the name \"" + row.name() + "\" is not an analyte's name; it resembles "
                        + matched.analyte().code() + " " + matched.analyte().display());
                return null;
            }
            return matched.analyte();
        }
        reasons.add("the name \"" + row.name() + "\" matches no analyte: " + ((AnalyteMatch.NoMatch) match).reason());
        return null;
    }

    /** A specimen word in a heading or the report's specimen line ({@code URINALYSIS} is urine). */
    private static String specimen(String printed) {
        if (printed == null) {
            return null;
        }
        String lower = printed.toLowerCase(java.util.Locale.ROOT);
        for (String specimen : List.of("urine", "serum", "plasma", "blood")) {
            if (lower.contains(specimen) || (specimen.equals("urine") && lower.contains("urinalysis"))) {
                return specimen;
            }
        }
        return null;
    }

    private Optional<String> plausible(Analyte analyte, BigDecimal value, String unit) {
        Optional<PhysiologicalRanges.Limits> limits = PhysiologicalRanges.of(analyte.code());
        Optional<String> preferred = analyte.preferredUnit();
        if (limits.isEmpty() || preferred.isEmpty()) {
            return Optional.empty();
        }
        BigDecimal inPreferred = value;
        if (!preferred.get().equals(unit)) {
            Conversion conversion = units.convert(value, unit, preferred.get(), analyte.code());
            if (!(conversion instanceof Conversion.Converted converted)) {
                return Optional.empty();
            }
            inPreferred = converted.value();
        }
        if (limits.get().contains(inPreferred)) {
            return Optional.empty();
        }
        return Optional.of(value.toPlainString() + " " + unit + " is outside what " + analyte.display() + " can be ("
                + limits.get().low().toPlainString() + "–" + limits.get().high().toPlainString() + " "
                + preferred.get() + ")");
    }

    /** Whether value, printed range and printed flag agree; the flag is {@code null} when none was printed. */
    private static Optional<String> consistent(BigDecimal value, PrintedValues.Range range, String flag) {
        boolean above = range.high() != null && value.compareTo(range.high()) > 0;
        boolean below = range.low() != null && value.compareTo(range.low()) < 0;
        if (range.high() != null
                && range.high().signum() > 0
                && value.compareTo(range.high().multiply(TEN)) > 0) {
            return Optional.of("the value is more than ten times the range's upper limit");
        }
        if (range.low() != null && value.multiply(TEN).compareTo(range.low()) < 0) {
            return Optional.of("the value is less than a tenth of the range's lower limit");
        }
        if ((above || below) && (flag == null || flag.equals("N"))) {
            return Optional.of("the value is outside the printed range but not flagged");
        }
        if (flag != null && (flag.startsWith("H") && !above || flag.startsWith("L") && !below)) {
            return Optional.of("the flag " + flag + " does not fit the value and the printed range");
        }
        return Optional.empty();
    }
}
