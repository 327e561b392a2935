package health.vigil.terminology.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Conversions checked against values computed by hand from the stated molar masses and definitions. */
class UnitsTest {

    private static Units units;

    @BeforeAll
    static void load() {
        units = Terminology.load().units();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiterString = " => ",
            value = {
                "count/min => /min",
                "bpm => /min",
                "beats/min => /min",
                "mmHg => mm[Hg]",
                "mm Hg => mm[Hg]",
                "lbs => [lb_av]",
                "°F => [degF]",
                "°C => Cel",
                "mg/dl => mg/dL",
                "MG/DL => mg/dL",
                "mmol/l => mmol/L",
                "x10^3/uL => 10*3/uL",
                "K/µL => 10*3/uL",
                "uIU/mL => u[IU]/mL",
                "µIU/mL => u[IU]/mL",
                "mEq/L => meq/L",
                "mL/min/1.73m² => mL/min/{1.73_m2}",
                "/hpf => /[HPF]",
                "mg/dL => mg/dL",
                "10*9/L => 10*9/L",
                "kg => kg",
                "% => %"
            })
    void normalize_knownSpelling_isItsUcumCode(String spelling, String ucum) {
        assertThat(units.normalize(spelling)).isEqualTo(new UnitResult.Valid(ucum, spelling));
    }

    @ParameterizedTest
    @CsvSource({"furlongs/fortnight", "mg/furlong", "C", "F", "K", "deg", "bananas", "''"})
    void normalize_unknownOrMisleadingSpelling_isInvalid_neverAGuess(String spelling) {
        assertThat(units.normalize(spelling)).isInstanceOf(UnitResult.Invalid.class);
    }

    @Test
    void normalize_null_isInvalid() {
        assertThat(units.normalize(null)).isInstanceOf(UnitResult.Invalid.class);
    }

    @ParameterizedTest(name = "{0} {1} of {3} = {4} {2}")
    @CsvSource({
        // glucose, MW 180.16: 180 mg/dL = 1800 mg/L / 180.16 g/mol = 9.991 mmol/L
        "180, mg/dL, mmol/L, 2345-7, 9.991",
        "5.5, mmol/L, mg/dL, 14749-6, 99.088",
        // cholesterol, MW 386.65: 200 mg/dL = 2000 / 386.65 = 5.173 mmol/L
        "200, mg/dL, mmol/L, 2093-3, 5.173",
        "1.3, mmol/L, mg/dL, 14646-4, 50.2645",
        // triglycerides as triolein, MW 885.7: 150 mg/dL = 1500 / 885.7 = 1.694 mmol/L
        "150, mg/dL, mmol/L, 2571-8, 1.694",
        // creatinine, MW 113.12: 1.0 mg/dL = 10 / 113.12 = 0.0884017 mmol/L = 88.4017 umol/L
        "1.0, mg/dL, umol/L, 2160-0, 88.4017",
        "88.4, umol/L, mg/dL, 14682-9, 0.99998",
        // urea, MW 60.06: 30 mg/dL = 300 / 60.06 = 4.995 mmol/L
        "30, mg/dL, mmol/L, 3091-6, 4.995",
        // urea nitrogen: two N per urea, 28.014 g/mol: 14 mg/dL = 140 / 28.014 = 4.998 mmol/L urea
        "14, mg/dL, mmol/L, 3094-0, 4.998",
        // calcium, MW 40.078: 10 mg/dL = 100 / 40.078 = 2.495 mmol/L
        "10, mg/dL, mmol/L, 17861-6, 2.495",
        // bilirubin, MW 584.66: 1 mg/dL = 10 / 584.66 = 0.0171040 mmol/L = 17.1040 umol/L
        "1, mg/dL, umol/L, 1975-2, 17.1040"
    })
    void convert_molar_usesTheMolarMassOfTheCode(String value, String from, String to, String loinc, String expected) {
        Conversion conversion = units.convert(new BigDecimal(value), from, to, loinc);

        assertThat(conversion).isInstanceOf(Conversion.Converted.class);
        Conversion.Converted converted = (Conversion.Converted) conversion;
        assertThat(converted.value().doubleValue()).isCloseTo(Double.parseDouble(expected), within(0.001));
        assertThat(converted.unit()).isEqualTo(to);
        assertThat(converted.molar()).isTrue();
    }

    @Test
    void convert_glucose180mgdl_is9point99mmolPerLitre() {
        Conversion.Converted converted =
                (Conversion.Converted) units.convert(new BigDecimal("180"), "mg/dL", "mmol/L", "2345-7");
        assertThat(converted.value().setScale(2, java.math.RoundingMode.HALF_UP))
                .isEqualByComparingTo("9.99");
    }

    @Test
    void convert_sameValueAndUnits_differentAnalytes_differentResults() {
        Conversion glucose = units.convert(new BigDecimal("100"), "mg/dL", "mmol/L", "2345-7");
        Conversion cholesterol = units.convert(new BigDecimal("100"), "mg/dL", "mmol/L", "2093-3");
        assertThat(((Conversion.Converted) glucose).value().doubleValue()).isCloseTo(5.551, within(0.001));
        assertThat(((Conversion.Converted) cholesterol).value().doubleValue()).isCloseTo(2.586, within(0.001));
    }

    @Test
    void convert_massToMolar_withoutAnalyte_isNotConverted() {
        assertThat(units.convert(new BigDecimal("180"), "mg/dL", "mmol/L")).isInstanceOf(Conversion.NotConverted.class);
    }

    @Test
    void convert_massToMolar_forAnalyteWithoutMolarMass_isNotConverted() {
        // Albumin has no molar mass in the catalogue: g/dL to mmol/L is refused, not invented.
        assertThat(units.convert(new BigDecimal("4.0"), "g/dL", "mmol/L", "1751-7"))
                .isInstanceOf(Conversion.NotConverted.class);
        assertThat(units.convert(new BigDecimal("4.0"), "g/dL", "mmol/L", "0000-0"))
                .isInstanceOf(Conversion.NotConverted.class);
    }

    @ParameterizedTest(name = "{0} {1} = {3} {2}")
    @CsvSource({
        "98.6, [degF], Cel, 37.0",
        "37, Cel, [degF], 98.6",
        "0, Cel, [degF], 32",
        "150, [lb_av], kg, 68.0389",
        "70, [in_i], cm, 177.8",
        "180, mg/dL, g/L, 1.8",
        "2.5, u[IU]/mL, m[IU]/L, 2.5",
        "140, meq/L, mmol/L, 140",
        "7.2, 10*3/uL, 10*9/L, 7.2",
        "97, %, 1, 0.97",
        "60, /min, /s, 1"
    })
    void convert_sameDimension_isUcumConversion(String value, String from, String to, String expected) {
        Conversion conversion = units.convert(new BigDecimal(value), from, to);

        assertThat(conversion).isInstanceOf(Conversion.Converted.class);
        assertThat(((Conversion.Converted) conversion).value().doubleValue())
                .isCloseTo(Double.parseDouble(expected), within(0.0001));
        assertThat(((Conversion.Converted) conversion).molar()).isFalse();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // Not the same quantity.
        "mg/dL, mm[Hg]",
        "Cel, kg",
        // UCUM counts moles as numbers; a molar concentration is not a cell count.
        "mmol/L, 10*3/uL",
        // Both dimensionless, not the same scale: HbA1c NGSP % vs IFCC mmol/mol, INR vs ratio.
        "%, mmol/mol",
        "{INR}, 1",
        // UCUM ignores annotations, labs do not: D-dimer FEU is not DDU.
        "ug/mL{FEU}, ng/mL{DDU}",
        // Not units at all.
        "bananas, kg"
    })
    void convert_differentKinds_isNotConverted(String from, String to) {
        assertThat(units.convert(BigDecimal.ONE, from, to)).isInstanceOf(Conversion.NotConverted.class);
    }

    @Test
    void convert_wildSpellings_areNormalizedFirst() {
        Conversion conversion = units.convert(new BigDecimal("101.3"), "°F", "°C");
        assertThat(((Conversion.Converted) conversion).value().doubleValue()).isCloseTo(38.5, within(0.001));
        assertThat(((Conversion.Converted) conversion).unit()).isEqualTo("Cel");
    }
}
