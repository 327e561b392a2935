package health.vigil.terminology.api;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One LOINC code of the shipped catalogue: a vital sign, an activity measure or a laboratory analyte.
 *
 * @param code the LOINC code, e.g. {@code 2345-7}
 * @param display LOINC's long common name
 * @param component what is measured (LOINC COMPONENT), e.g. {@code Glucose}
 * @param specimen the specimen or system (LOINC SYSTEM), e.g. {@code Ser/Plas}, {@code Bld},
 *     {@code Urine}, {@code ^Patient}
 * @param category the Observation category the code is used in: {@code vital-signs} or
 *     {@code laboratory}
 * @param panel the panel or report section the analyte usually appears in ({@code cbc},
 *     {@code lipids}, ...; {@code vitals} and {@code activity} for the vital signs)
 * @param units the UCUM units it is reported in, preferred first; empty for ordinal and nominal results
 * @param aliases the names, abbreviations and spellings laboratories print for it
 * @param molarMass g/mol for converting between mass and substance concentration, {@code null} where
 *     no molar conversion applies (see {@link #molarMassValue()})
 */
public record Analyte(
        String code,
        String display,
        String component,
        String specimen,
        String category,
        String panel,
        List<String> units,
        List<String> aliases,
        BigDecimal molarMass) {

    public Analyte {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(display, "display");
        units = List.copyOf(units);
        aliases = List.copyOf(aliases);
    }

    /** The unit results are usually reported in, if the result is quantitative. */
    public Optional<String> preferredUnit() {
        return units.isEmpty() ? Optional.empty() : Optional.of(units.get(0));
    }

    /** The molar mass in g/mol, where a molar conversion applies to this code. */
    public Optional<BigDecimal> molarMassValue() {
        return Optional.ofNullable(molarMass);
    }

    /** Whether results are numbers with a unit (rather than ordinal or nominal). */
    public boolean quantitative() {
        return !units.isEmpty();
    }

    /** Whether this is a laboratory analyte (rather than a vital sign or activity measure). */
    public boolean laboratory() {
        return "laboratory".equals(category);
    }
}
