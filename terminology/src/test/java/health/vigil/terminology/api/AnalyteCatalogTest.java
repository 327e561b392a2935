package health.vigil.terminology.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Recognition of lab report rows, from a table of spellings seen on real reports. */
class AnalyteCatalogTest {

    private static AnalyteCatalog catalog;

    @BeforeAll
    static void load() {
        catalog = Terminology.load().analytes();
    }

    static Stream<Arguments> reportRows() throws IOException {
        List<Arguments> rows = new ArrayList<>();
        try (InputStream table = AnalyteCatalogTest.class.getResourceAsStream("/terminology/lab-report-names.tsv")) {
            for (String line : new String(table.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t", -1);
                rows.add(
                        Arguments.of(columns[0], blankToNull(columns[1]), blankToNull(columns[2]), columns[3].strip()));
            }
        }
        return rows.stream();
    }

    private static String blankToNull(String value) {
        return value.isBlank() ? null : value;
    }

    @ParameterizedTest(name = "{0} [{1}] ({2}) -> {3}")
    @MethodSource("reportRows")
    void match_reportRow_givesExpectedCodeOrNoMatch(String name, String unit, String specimen, String expected) {
        AnalyteMatch match = catalog.match(new AnalyteQuery(name, unit, specimen));

        if (expected.equals("none")) {
            assertThat(match).isInstanceOf(AnalyteMatch.NoMatch.class);
        } else {
            assertThat(match).isInstanceOf(AnalyteMatch.Matched.class);
            assertThat(((AnalyteMatch.Matched) match).analyte().code()).isEqualTo(expected);
        }
    }

    @Test
    void match_exactAlias_scoresOne_andReportsTheUcumUnit() {
        AnalyteMatch.Matched match =
                (AnalyteMatch.Matched) catalog.match(AnalyteQuery.named("TSH").withUnit("uIU/mL"));

        assertThat(match.score()).isEqualTo(1.0);
        assertThat(match.basis()).isEqualTo(AnalyteMatch.Basis.ALIAS);
        assertThat(match.unit()).isEqualTo("u[IU]/mL");
    }

    @Test
    void match_misspelling_isFuzzy_withScoreBelowOneAndAboveThreshold() {
        AnalyteMatch.Matched match = (AnalyteMatch.Matched)
                catalog.match(AnalyteQuery.named("Creatinlne").withUnit("mg/dL"));

        assertThat(match.basis()).isEqualTo(AnalyteMatch.Basis.FUZZY);
        assertThat(match.score()).isLessThan(1.0).isGreaterThanOrEqualTo(AnalyteCatalog.FUZZY_THRESHOLD);
    }

    @Test
    void match_nameOnAnotherSpecimen_usesTheComponentWithinThatSpecimen() {
        AnalyteMatch.Matched match = (AnalyteMatch.Matched)
                catalog.match(AnalyteQuery.named("WBC").withUnit("/hpf").withSpecimen("urine"));

        assertThat(match.analyte().code()).isEqualTo("5821-4");
        assertThat(match.basis()).isEqualTo(AnalyteMatch.Basis.COMPONENT_AND_SPECIMEN);
    }

    @Test
    void match_ambiguous_namesTheCandidates() {
        AnalyteMatch.NoMatch noMatch = (AnalyteMatch.NoMatch) catalog.match(AnalyteQuery.named("Glucose"));

        assertThat(noMatch.candidates()).contains("2345-7", "14749-6");
        assertThat(noMatch.reason()).contains("more than one code");
    }

    @Test
    void match_unknownUnit_saysSo() {
        AnalyteMatch.NoMatch noMatch = (AnalyteMatch.NoMatch)
                catalog.match(AnalyteQuery.named("Glucose").withUnit("mg/furlong"));

        assertThat(noMatch.reason()).startsWith("unit not recognised");
    }

    @Test
    void match_unknownSpecimen_isNoMatch() {
        assertThat(catalog.match(AnalyteQuery.named("Glucose").withUnit("mg/dL").withSpecimen("saliva")))
                .isInstanceOf(AnalyteMatch.NoMatch.class);
    }

    @Test
    void acceptsUnit_sameDimension_butDimensionlessOnlyExactly() {
        Analyte glucose = catalog.byCode("2345-7").orElseThrow();
        Analyte hba1c = catalog.byCode("4548-4").orElseThrow();

        assertThat(catalog.acceptsUnit(glucose, "mg/dL")).isTrue();
        assertThat(catalog.acceptsUnit(glucose, "g/L")).isTrue();
        assertThat(catalog.acceptsUnit(glucose, "mmol/L")).isFalse();
        assertThat(catalog.acceptsUnit(hba1c, "%")).isTrue();
        assertThat(catalog.acceptsUnit(hba1c, "mmol/mol")).isFalse();
        assertThat(catalog.acceptsUnit(hba1c, "1")).isFalse();
    }

    @Test
    void byCode_knownAndUnknown() {
        assertThat(catalog.byCode("2345-7")).map(Analyte::display).contains("Glucose [Mass/volume] in Serum or Plasma");
        assertThat(catalog.byCode("2345-7"))
                .flatMap(Analyte::molarMassValue)
                .map(Object::toString)
                .contains("180.16");
        assertThat(catalog.byCode("9999-9")).isEmpty();
        assertThat(catalog.byCode(null)).isEmpty();
    }
}
