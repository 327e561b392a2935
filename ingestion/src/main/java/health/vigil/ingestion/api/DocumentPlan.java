package health.vigil.ingestion.api;

import java.util.List;
import org.hl7.fhir.r4.model.Bundle;

/**
 * What an upload would store, worked out without writing.
 *
 * @param ids where it is stored
 * @param mediaType the type detected from the content ({@code application/pdf}, {@code image/png}, ...)
 * @param pages how many pages were read, and {@code ocrPages} how many of them by OCR
 * @param results the result rows read, in page and line order
 * @param transaction the FHIR transaction storing the document, the report, its results, the Provenance
 *     and the review Task (PUTs with the ids above)
 */
public record DocumentPlan(
        DocumentIds ids, String mediaType, int pages, int ocrPages, List<ExtractedResult> results, Bundle transaction) {

    public DocumentPlan {
        results = List.copyOf(results);
    }

    /** How many rows need a person's review before they are relied on. */
    public long toReview() {
        return results.stream().filter(result -> !result.reasons().isEmpty()).count();
    }

    /**
     * One result row as read.
     *
     * @param observationId the Observation it is stored as
     * @param page 1-based page it was printed on
     * @param printed the row as printed
     * @param loincCode the analyte's LOINC code, {@code null} when the name matched none
     * @param confidence 0 to 1; halved when a check failed
     * @param reasons why a person should review it; empty when every check passed
     */
    public record ExtractedResult(
            String observationId, int page, String printed, String loincCode, double confidence, List<String> reasons) {

        public ExtractedResult {
            reasons = List.copyOf(reasons);
        }
    }
}
