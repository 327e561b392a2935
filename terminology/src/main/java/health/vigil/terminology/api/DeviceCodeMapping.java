package health.vigil.terminology.api;

/**
 * One entry of a device vocabulary's ConceptMap to LOINC.
 *
 * @param vocabulary the source vocabulary
 * @param sourceCode the device's code, e.g. {@code HKQuantityTypeIdentifierHeartRate} or {@code 150456}
 * @param sourceDisplay the device code's name
 * @param loinc the LOINC analyte it maps to
 * @param equivalence the ConceptMap equivalence: {@code equivalent}, or {@code wider} when the LOINC
 *     code is more general than the device's (an oximeter's pulse rate is a heart rate)
 * @param comment what a mapper should know, e.g. that HealthKit writes saturations as fractions;
 *     {@code null} if nothing
 */
public record DeviceCodeMapping(
        DeviceVocabulary vocabulary,
        String sourceCode,
        String sourceDisplay,
        Analyte loinc,
        String equivalence,
        String comment) {}
