package health.vigil.ingestion.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PrintedValuesTest {

    @Test
    void number_comparatorsAndDecimalCommas_areRead() {
        assertThat(PrintedValues.number("104.2")).contains(new PrintedValues.Number(null, new BigDecimal("104.2")));
        assertThat(PrintedValues.number("<0.01")).contains(new PrintedValues.Number("<", new BigDecimal("0.01")));
        assertThat(PrintedValues.number("≥ 60")).contains(new PrintedValues.Number(">=", new BigDecimal("60")));
        assertThat(PrintedValues.number("4,1")).contains(new PrintedValues.Number(null, new BigDecimal("4.1")));
    }

    @Test
    void number_thousandsOrDecimalCommaAndText_areNotGuessed() {
        assertThat(PrintedValues.number("1,234")).isEmpty();
        assertThat(PrintedValues.number("Negative")).isEmpty();
        assertThat(PrintedValues.number("4.1.2")).isEmpty();
    }

    @Test
    void range_boundsAndOpenEnds_areRead() {
        assertThat(PrintedValues.range("3.5 - 5.1")).hasValueSatisfying(range -> {
            assertThat(range.low()).isEqualByComparingTo("3.5");
            assertThat(range.high()).isEqualByComparingTo("5.1");
        });
        assertThat(PrintedValues.range("<200")).hasValueSatisfying(range -> {
            assertThat(range.low()).isNull();
            assertThat(range.high()).isEqualByComparingTo("200");
        });
        assertThat(PrintedValues.range(">60"))
                .hasValueSatisfying(range -> assertThat(range.low()).isEqualByComparingTo("60"));
        assertThat(PrintedValues.range("up to 40"))
                .hasValueSatisfying(range -> assertThat(range.high()).isEqualByComparingTo("40"));
    }

    @Test
    void range_reversedOrMangled_isNotRead() {
        assertThat(PrintedValues.range("99-70")).isEmpty();
        assertThat(PrintedValues.range("8:5-10.2")).isEmpty();
    }

    @Test
    void flag_printedFlags_becomeInterpretationCodes() {
        assertThat(PrintedValues.flag("H")).contains("H");
        assertThat(PrintedValues.flag("low")).contains("L");
        assertThat(PrintedValues.flag("*")).contains("A");
        assertThat(PrintedValues.flag("HH")).contains("HH");
        assertThat(PrintedValues.flag("X")).isEmpty();
    }
}
