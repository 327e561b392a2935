package health.vigil.terminology.api;

import java.math.BigDecimal;

/**
 * UCUM units: normalization of the spellings devices and labs use, validation and conversion
 * (org.fhir:ucum), with the analyte-specific molar conversions UCUM cannot do by itself.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface Units {

    /**
     * The UCUM code for a unit as written: a known non-UCUM spelling ({@code bpm}, {@code mmHg},
     * {@code lbs}, {@code °F}, {@code mg/dl}, {@code x10^3/uL}, ...) becomes its UCUM code; a valid
     * UCUM code is returned as it is; anything else, and spellings that are valid UCUM but almost
     * always meant otherwise ({@code C}, coulomb, for Celsius; {@code F}, farad, for Fahrenheit), is
     * {@link UnitResult.Invalid}. Never a guess.
     */
    UnitResult normalize(String unit);

    /**
     * Converts between two UCUM units of the same dimension, temperatures included. Dimensionless
     * units with annotations or mole ratios ({@code {INR}}, {@code mmol/mol}) are not converted.
     */
    Conversion convert(BigDecimal value, String fromUnit, String toUnit);

    /**
     * Converts a result of the given LOINC code, also between mass and substance concentration
     * (mg/dL and mmol/L) when the catalogue has a molar mass for that code. The factor belongs to the
     * code: glucose's molar mass is not cholesterol's.
     */
    Conversion convert(BigDecimal value, String fromUnit, String toUnit, String loincCode);
}
