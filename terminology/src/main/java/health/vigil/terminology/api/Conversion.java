package health.vigil.terminology.api;

import java.math.BigDecimal;

/** The outcome of a unit conversion: the value in the target unit, or why it cannot be converted. */
public sealed interface Conversion {

    /**
     * @param value the converted value, unrounded (rounding to the precision of the input is the
     *     caller's choice)
     * @param unit the target UCUM unit
     * @param molar whether the conversion went through the analyte's molar mass
     */
    record Converted(BigDecimal value, String unit, boolean molar) implements Conversion {}

    /** @param reason why the value cannot be converted, naming the units */
    record NotConverted(String reason) implements Conversion {}

    default boolean converted() {
        return this instanceof Converted;
    }
}
