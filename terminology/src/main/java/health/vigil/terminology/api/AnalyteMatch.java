package health.vigil.terminology.api;

import java.util.List;

/** The outcome of {@link AnalyteCatalog#match(AnalyteQuery)}: one analyte, or no match and why. */
public sealed interface AnalyteMatch {

    /**
     * A single analyte fits the query.
     *
     * @param analyte the analyte
     * @param score 1.0 for an exact name match; for a fuzzy match the name similarity, at least
     *     {@link AnalyteCatalog#FUZZY_THRESHOLD}
     * @param basis how the name was recognised
     * @param unit the query's unit as a UCUM code, {@code null} if the query had none
     */
    record Matched(Analyte analyte, double score, Basis basis, String unit) implements AnalyteMatch {}

    /**
     * Nothing fits, or more than one analyte fits equally well.
     *
     * @param reason what stopped the match, for a reviewer
     * @param candidates the LOINC codes that were considered and rejected or left ambiguous
     */
    record NoMatch(String reason, List<String> candidates) implements AnalyteMatch {
        public NoMatch {
            candidates = List.copyOf(candidates);
        }
    }

    /** How the printed name was recognised. */
    enum Basis {
        /** The name is one of the analyte's aliases or its display name. */
        ALIAS,
        /** The name is the analyte's component, and the query's specimen chose among the codes. */
        COMPONENT_AND_SPECIMEN,
        /** The name is close to one of the analyte's aliases (misspelling, OCR error). */
        FUZZY
    }

    default boolean matched() {
        return this instanceof Matched;
    }
}
