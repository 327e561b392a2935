package health.vigil.ingestion.document;

import health.vigil.terminology.api.Analyte;
import java.util.List;

/**
 * A printed row interpreted: the analyte it names, its value, unit, range and flag as far as each could
 * be read, and every reason a person should look at it before it is relied on.
 *
 * @param analyte the catalogue's analyte, {@code null} when the name matched none (text only)
 * @param value the result as a number, {@code null} when it is not one
 * @param unit the UCUM unit, {@code null} when none was printed or it is not recognised
 * @param range the printed reference range, {@code null} when none or unreadable
 * @param interpretation the v3 ObservationInterpretation code of the printed flag, or {@code null}
 * @param reasons why the row needs review; empty when every check passed
 */
record LabResult(
        LabTable.Row row,
        Analyte analyte,
        PrintedValues.Number value,
        String unit,
        PrintedValues.Range range,
        String interpretation,
        List<String> reasons) {

    LabResult {
        reasons = List.copyOf(reasons);
    }

    /** Whether every check passed: the row may be shown as read with high confidence. */
    boolean confident() {
        return reasons.isEmpty();
    }

    /**
     * The confidence reported with the row, 0 to 1: OCR's lowest word confidence, halved when a check
     * failed, so that no row that needs review reads as more certain than one that does not.
     */
    double confidence() {
        double words = row.confidence() / 100.0;
        return confident() ? words : words / 2;
    }
}
