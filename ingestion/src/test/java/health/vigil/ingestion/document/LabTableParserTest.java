package health.vigil.ingestion.document;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabTableParserTest {

    @Test
    void exponent_caretReadAsPercentOrStar_isAPowerOfTen_otherUnitsUnchanged() {
        assertThat(LabTableParser.exponent("x10%3/uL")).isEqualTo("x10^3/uL");
        assertThat(LabTableParser.exponent("x10*%6/uL")).isEqualTo("x10^6/uL");
        assertThat(LabTableParser.exponent("X10*3/uL")).isEqualTo("x10^3/uL");
        assertThat(LabTableParser.exponent("10^9/L")).isEqualTo("x10^9/L");
        assertThat(LabTableParser.exponent("%")).isEqualTo("%");
        assertThat(LabTableParser.exponent("mg/dL")).isEqualTo("mg/dL");
        assertThat(LabTableParser.exponent("x104%3/uL"))
                .as("a digit too many is not guessed away")
                .isEqualTo("x104%3/uL");
    }
}
