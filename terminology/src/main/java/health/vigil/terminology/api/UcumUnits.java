package health.vigil.terminology.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.fhir.ucum.Decimal;
import org.fhir.ucum.UcumEssenceService;
import org.fhir.ucum.UcumException;
import org.fhir.ucum.UcumService;

/** {@link Units} over org.fhir:ucum and the shipped table of non-UCUM spellings. */
final class UcumUnits implements Units {

    static final String SPELLINGS = "vigil/terminology/unit-spellings.tsv";

    /** Valid UCUM, but on a clinical unit field nearly always meant otherwise: Celsius, Fahrenheit, thousands. */
    private static final Map<String, String> MISLEADING = Map.of(
            "c", "'C' is coulomb in UCUM; write Cel or °C for degrees Celsius",
            "f", "'F' is farad in UCUM; write [degF] or °F for degrees Fahrenheit",
            "k", "'K' is kelvin in UCUM; write 10*3/uL or K/uL for thousands per microliter",
            "deg", "'deg' does not say Celsius or Fahrenheit",
            "degrees", "'degrees' does not say Celsius or Fahrenheit");

    /** Units with an offset from zero, which org.fhir:ucum does not convert: to and from kelvin. */
    private static final Pattern ANNOTATION = Pattern.compile("\\{[^}]*}");

    private static final Set<String> TEMPERATURES = Set.of("Cel", "[degF]", "K");

    private static final String PRECISE_ONE = "1.000000000000000000000000";

    private static final BigDecimal KELVIN_OFFSET = new BigDecimal("273.15");
    private static final BigDecimal FAHRENHEIT_OFFSET = new BigDecimal("32");
    private static final BigDecimal FIVE_NINTHS = new BigDecimal(5).divide(new BigDecimal(9), MathContext.DECIMAL64);

    private final UcumService ucum;
    private final Map<String, String> spellings;
    private final Function<String, Optional<Analyte>> analytes;

    UcumUnits(UcumService ucum, Map<String, String> spellings, Function<String, Optional<Analyte>> analytes) {
        this.ucum = ucum;
        this.spellings = Map.copyOf(spellings);
        this.analytes = analytes;
    }

    static UcumService essence() {
        try (InputStream essence = UcumEssenceService.class.getResourceAsStream("/ucum-essence.xml")) {
            if (essence == null) {
                throw new IllegalStateException("ucum-essence.xml is missing from org.fhir:ucum");
            }
            return new UcumEssenceService(essence);
        } catch (IOException | UcumException e) {
            throw new IllegalStateException("Cannot read the UCUM definitions", e);
        }
    }

    /** Reads the spelling table; every target must be valid UCUM, or the content is broken. */
    static Map<String, String> readSpellings(UcumService ucum, InputStream table) {
        Map<String, String> spellings = new HashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(table, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t");
                if (columns.length != 2) {
                    throw new IllegalStateException(SPELLINGS + " line " + number + ": expected spelling TAB ucum");
                }
                String problem = ucum.validate(columns[1]);
                if (problem != null) {
                    throw new IllegalStateException(SPELLINGS + " line " + number + ": " + problem);
                }
                String previous = spellings.put(key(columns[0]), columns[1]);
                if (previous != null && !previous.equals(columns[1])) {
                    throw new IllegalStateException(
                            SPELLINGS + " line " + number + ": '" + columns[0] + "' already means " + previous);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return spellings;
    }

    /** Case, spaces and the usual look-alike characters do not distinguish spellings. */
    static String key(String spelling) {
        return spelling.strip()
                .replace('µ', 'u')
                .replace('μ', 'u')
                .replace('²', '2')
                .replace('³', '3')
                .replaceAll("\\s+", "")
                .toLowerCase(Locale.ROOT);
    }

    @Override
    public UnitResult normalize(String unit) {
        if (unit == null || unit.isBlank()) {
            return new UnitResult.Invalid(String.valueOf(unit), "no unit given");
        }
        String written = unit.strip();
        String key = key(written);
        String known = spellings.get(key);
        if (known != null) {
            return new UnitResult.Valid(known, unit);
        }
        String misleading = MISLEADING.get(key);
        if (misleading != null) {
            return new UnitResult.Invalid(unit, misleading);
        }
        String problem = ucum.validate(written);
        if (problem == null) {
            return new UnitResult.Valid(written, unit);
        }
        return new UnitResult.Invalid(unit, "'" + written + "' is not a UCUM unit or a known spelling of one");
    }

    @Override
    public Conversion convert(BigDecimal value, String fromUnit, String toUnit) {
        UnitResult from = normalize(fromUnit);
        UnitResult to = normalize(toUnit);
        if (from instanceof UnitResult.Invalid invalid) {
            return new Conversion.NotConverted(invalid.reason());
        }
        if (to instanceof UnitResult.Invalid invalid) {
            return new Conversion.NotConverted(invalid.reason());
        }
        return plain(value, ((UnitResult.Valid) from).ucum(), ((UnitResult.Valid) to).ucum());
    }

    @Override
    public Conversion convert(BigDecimal value, String fromUnit, String toUnit, String loincCode) {
        Conversion plain = convert(value, fromUnit, toUnit);
        if (plain.converted()) {
            return plain;
        }
        UnitResult from = normalize(fromUnit);
        UnitResult to = normalize(toUnit);
        if (!(from instanceof UnitResult.Valid source) || !(to instanceof UnitResult.Valid target)) {
            return plain;
        }
        Optional<BigDecimal> molarMass = analytes.apply(loincCode).flatMap(Analyte::molarMassValue);
        if (molarMass.isEmpty()) {
            return plain;
        }
        if (massConcentration(source.ucum()) && substanceConcentration(target.ucum())) {
            return molar(value, source.ucum(), "g/L", molarMass.get(), true, "mol/L", target.ucum());
        }
        if (substanceConcentration(source.ucum()) && massConcentration(target.ucum())) {
            return molar(value, source.ucum(), "mol/L", molarMass.get(), false, "g/L", target.ucum());
        }
        return plain;
    }

    private Conversion molar(
            BigDecimal value,
            String from,
            String base,
            BigDecimal molarMass,
            boolean massToSubstance,
            String otherBase,
            String to) {
        Conversion inBase = plain(value, from, base);
        if (!(inBase instanceof Conversion.Converted converted)) {
            return inBase;
        }
        BigDecimal other = massToSubstance
                ? converted.value().divide(molarMass, MathContext.DECIMAL64)
                : converted.value().multiply(molarMass, MathContext.DECIMAL64);
        Conversion result = plain(other, otherBase, to);
        return result instanceof Conversion.Converted done ? new Conversion.Converted(done.value(), to, true) : result;
    }

    /** A unit conversion that needs nothing but UCUM (and the temperature offsets). */
    private Conversion plain(BigDecimal value, String from, String to) {
        if (from.equals(to)) {
            return new Conversion.Converted(value, to, false);
        }
        if (TEMPERATURES.contains(from) || TEMPERATURES.contains(to)) {
            if (TEMPERATURES.contains(from) && TEMPERATURES.contains(to)) {
                return new Conversion.Converted(fromKelvin(toKelvin(value, from), to), to, false);
            }
            return notConvertible(from, to);
        }
        try {
            if (!ucum.isComparable(from, to) || molar(from) != molar(to) || !sameAnnotations(from, to)) {
                return notConvertible(from, to);
            }
            if (dimensionless(from) && (qualified(from) || qualified(to))) {
                return new Conversion.NotConverted(
                        "'" + from + "' and '" + to + "' are both dimensionless, but not the same scale");
            }
            // The factor from a one with many zeros, then the product here: org.fhir:ucum rounds a
            // product to the precision of its least precise operand (70 [in_i] would be 178 cm).
            Decimal factor = ucum.convert(new Decimal(PRECISE_ONE), from, to);
            BigDecimal converted = value.multiply(new BigDecimal(factor.asDecimal()), MathContext.DECIMAL64);
            return new Conversion.Converted(converted.stripTrailingZeros(), to, false);
        } catch (UcumException | NumberFormatException e) {
            return new Conversion.NotConverted("Cannot convert '" + from + "' to '" + to + "': " + e.getMessage());
        }
    }

    /** Same dimension: comparable in UCUM, both amounts of substance or neither, and not bare dimensionless. */
    boolean sameKind(String unit, String other) {
        if (unit.equals(other)) {
            return true;
        }
        if (TEMPERATURES.contains(unit) || TEMPERATURES.contains(other)) {
            return TEMPERATURES.contains(unit) && TEMPERATURES.contains(other);
        }
        try {
            return ucum.isComparable(unit, other)
                    && molar(unit) == molar(other)
                    && sameAnnotations(unit, other)
                    && !dimensionless(unit);
        } catch (UcumException e) {
            return false;
        }
    }

    private static Conversion notConvertible(String from, String to) {
        return new Conversion.NotConverted(
                "'" + from + "' cannot be converted to '" + to + "': not the same kind of quantity");
    }

    private boolean massConcentration(String unit) {
        return sameKind(unit, "g/L");
    }

    private boolean substanceConcentration(String unit) {
        return sameKind(unit, "mol/L");
    }

    private boolean dimensionless(String unit) {
        try {
            return ucum.getCanonicalUnits(unit).isBlank();
        } catch (UcumException e) {
            return false;
        }
    }

    /** UCUM counts moles as plain numbers (6.02e23); amounts of substance and counts are kept apart. */
    private static boolean molar(String unit) {
        return unit.contains("mol") || unit.contains("eq") || unit.contains("osm");
    }

    /**
     * UCUM ignores annotations, but labs do not: D-dimer in FEU is about twice the value in DDU, so
     * {@code ug/mL{FEU}} and {@code ng/mL{DDU}} are not interchangeable.
     */
    private static boolean sameAnnotations(String unit, String other) {
        return annotations(unit).equals(annotations(other));
    }

    private static List<String> annotations(String unit) {
        return ANNOTATION.matcher(unit).results().map(MatchResult::group).toList();
    }

    private static boolean qualified(String unit) {
        return unit.contains("{") || unit.contains("[") || molar(unit);
    }

    private static BigDecimal toKelvin(BigDecimal value, String unit) {
        return switch (unit) {
            case "Cel" -> value.add(KELVIN_OFFSET);
            case "[degF]" -> value.subtract(FAHRENHEIT_OFFSET)
                    .multiply(FIVE_NINTHS, MathContext.DECIMAL64)
                    .add(KELVIN_OFFSET);
            default -> value;
        };
    }

    private static BigDecimal fromKelvin(BigDecimal kelvin, String unit) {
        return switch (unit) {
            case "Cel" -> kelvin.subtract(KELVIN_OFFSET);
            case "[degF]" -> kelvin.subtract(KELVIN_OFFSET)
                    .divide(FIVE_NINTHS, MathContext.DECIMAL64)
                    .add(FAHRENHEIT_OFFSET);
            default -> kelvin;
        };
    }
}
