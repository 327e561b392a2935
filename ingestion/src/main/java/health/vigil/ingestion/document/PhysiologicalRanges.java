package health.vigil.ingestion.document;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * The values a living patient's lab results can take, by LOINC code, in the analyte's preferred unit:
 * far wider than any reference range (a potassium of 9 is possible, if dire; one of 41 is a lost decimal
 * point). A result outside goes to review, never silently corrected.
 */
final class PhysiologicalRanges {

    record Limits(BigDecimal low, BigDecimal high) {
        boolean contains(BigDecimal value) {
            return value.compareTo(low) >= 0 && value.compareTo(high) <= 0;
        }
    }

    private static final Map<String, Limits> BY_CODE = Map.ofEntries(
            limits("2339-0", "10", "2000"), // glucose, blood, mg/dL
            limits("2345-7", "10", "2000"), // glucose, serum, mg/dL
            limits("6299-2", "1", "300"), // urea nitrogen, blood, mg/dL
            limits("3094-0", "1", "300"), // urea nitrogen, serum
            limits("38483-4", "0.1", "25"), // creatinine, blood, mg/dL
            limits("2160-0", "0.1", "25"), // creatinine, serum
            limits("49765-1", "3", "20"), // calcium, blood, mg/dL
            limits("17861-6", "3", "20"), // calcium, serum
            limits("2947-0", "100", "200"), // sodium, blood, mmol/L
            limits("2951-2", "100", "200"), // sodium, serum
            limits("6298-4", "1", "10"), // potassium, blood, mmol/L
            limits("2823-3", "1", "10"), // potassium, serum
            limits("2069-3", "60", "150"), // chloride, blood, mmol/L
            limits("2075-0", "60", "150"), // chloride, serum
            limits("20565-8", "2", "60"), // CO2, blood, mmol/L
            limits("2028-9", "2", "60"), // CO2, serum
            limits("2093-3", "20", "1500"), // cholesterol, mg/dL
            limits("2571-8", "5", "10000"), // triglycerides, mg/dL
            limits("18262-6", "5", "800"), // LDL direct, mg/dL
            limits("13457-7", "5", "800"), // LDL calculated
            limits("2085-9", "5", "250"), // HDL, mg/dL
            limits("4548-4", "2", "25"), // HbA1c, %
            limits("33914-3", "1", "200"), // eGFR
            limits("2885-2", "1", "15"), // total protein, g/dL
            limits("1751-7", "0.5", "7"), // albumin, g/dL
            limits("10834-0", "0.5", "10"), // globulin, g/dL
            limits("1975-2", "0.05", "50"), // bilirubin, mg/dL
            limits("6768-6", "5", "5000"), // alkaline phosphatase, U/L
            limits("1742-6", "1", "10000"), // ALT, U/L
            limits("1920-8", "1", "10000"), // AST, U/L
            limits("6690-2", "0.1", "500"), // WBC, 10*3/uL
            limits("789-8", "0.5", "10"), // RBC, 10*6/uL
            limits("718-7", "2", "25"), // hemoglobin, g/dL
            limits("4544-3", "5", "75"), // hematocrit, %
            limits("787-2", "40", "150"), // MCV, fL
            limits("785-6", "10", "50"), // MCH, pg
            limits("786-4", "20", "45"), // MCHC, g/dL
            limits("21000-5", "20", "120"), // RDW-SD, fL
            limits("788-0", "5", "40"), // RDW-CV, %
            limits("777-3", "1", "2000"), // platelets, 10*3/uL
            limits("32207-3", "5", "30"), // PDW, fL
            limits("32623-1", "4", "20"), // MPV, fL
            limits("3016-3", "0.001", "500"), // TSH, m[IU]/L
            limits("32693-4", "0.1", "30")); // lactate, mmol/L

    private PhysiologicalRanges() {}

    /** The limits for a LOINC code, in its preferred unit, if Vigil knows them. */
    static Optional<Limits> of(String loincCode) {
        return Optional.ofNullable(BY_CODE.get(loincCode));
    }

    private static Map.Entry<String, Limits> limits(String code, String low, String high) {
        return Map.entry(code, new Limits(new BigDecimal(low), new BigDecimal(high)));
    }
}
