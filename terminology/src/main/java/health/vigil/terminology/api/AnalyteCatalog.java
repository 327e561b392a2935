package health.vigil.terminology.api;

import java.util.List;
import java.util.Optional;

/**
 * The shipped LOINC subset as analytes: look-up by code, and recognition of result rows by printed
 * name, unit and specimen.
 *
 * <p>Matching is conservative. A wrong code on a lab value is worse than none: when more than one
 * code fits (the same name in mass and molar units with no unit printed, a name shared by serum and
 * urine tests with no specimen known) or the unit is not one the analyte is reported in, the result is
 * {@link AnalyteMatch.NoMatch} and the row goes to a person.
 *
 * <p>Implementations are immutable and thread-safe; a match is a few map look-ups (exact) or one pass
 * over the aliases (fuzzy, only when no alias is equal).
 */
public interface AnalyteCatalog {

    /** The lowest name similarity (1 - edit distance / length) a fuzzy match may have. */
    double FUZZY_THRESHOLD = 0.85;

    /** Every analyte of the catalogue, in the CodeSystem's order. */
    List<Analyte> all();

    /** The analyte with this LOINC code, if it is in the catalogue. */
    Optional<Analyte> byCode(String loincCode);

    /**
     * Recognises a result row.
     *
     * <ol>
     *   <li>The name, normalized (case, punctuation, spacing), is looked up among aliases and display
     *       names; codes whose specimen or unit does not fit the query are dropped.
     *   <li>If a specimen is given and no alias fits, the name is looked up as a LOINC component
     *       within that specimen.
     *   <li>Only if no alias is equal at all, a fuzzy match on aliases of five or more characters with
     *       the same digits, scoring at least {@link #FUZZY_THRESHOLD} and clearly ahead of the next
     *       analyte.
     * </ol>
     *
     * An unrecognised unit is never matched around: the result is {@link AnalyteMatch.NoMatch}.
     */
    AnalyteMatch match(AnalyteQuery query);

    /**
     * Whether results of this analyte may be reported in the given UCUM unit: one of its units, or a
     * unit of the same dimension (mg/L for mg/dL). Dimensionless units (%, ratios, mmol/mol) must be
     * listed exactly: % and mmol/mol are both dimensionless but HbA1c in one is not HbA1c in the other.
     */
    boolean acceptsUnit(Analyte analyte, String ucumUnit);
}
