package health.vigil.terminology.api;

import java.util.Objects;

/**
 * What is known about a result row: the printed name, and where printed, its unit and specimen.
 *
 * @param name the analyte's name as printed, e.g. {@code "Glucose, serum"} or {@code "HbA1c"}
 * @param unit the unit as printed ({@code "mg/dl"}, {@code "x10^3/uL"}), or {@code null} if none was
 *     printed; it is normalized with {@link Units#normalize(String)} before matching
 * @param specimen the specimen if known from the report (section header, order), e.g.
 *     {@code "urine"}, {@code "serum"}, {@code "Bld"}, or {@code null}
 */
public record AnalyteQuery(String name, String unit, String specimen) {

    public AnalyteQuery {
        Objects.requireNonNull(name, "name");
    }

    /** A query by name alone. */
    public static AnalyteQuery named(String name) {
        return new AnalyteQuery(name, null, null);
    }

    public AnalyteQuery withUnit(String printedUnit) {
        return new AnalyteQuery(name, printedUnit, specimen);
    }

    public AnalyteQuery withSpecimen(String printedSpecimen) {
        return new AnalyteQuery(name, unit, printedSpecimen);
    }
}
