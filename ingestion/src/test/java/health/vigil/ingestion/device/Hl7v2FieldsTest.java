package health.vigil.ingestion.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.vigil.ingestion.api.Measurement.ReferenceRange;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class Hl7v2FieldsTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Test
    void time_precisionsAndOffsets_readAsWritten() {
        assertThat(Hl7v2Fields.time("20260312081000+0100", PARIS))
                .contains(OffsetDateTime.parse("2026-03-12T08:10:00+01:00"));
        assertThat(Hl7v2Fields.time("202607010930", PARIS)).contains(OffsetDateTime.parse("2026-07-01T09:30:00+02:00"));
        assertThat(Hl7v2Fields.time("20260312", PARIS)).contains(OffsetDateTime.parse("2026-03-12T00:00:00+01:00"));
        assertThat(Hl7v2Fields.time("20260312081000.25-0500", PARIS))
                .contains(OffsetDateTime.parse("2026-03-12T08:10:00.25-05:00"));
        assertThat(Hl7v2Fields.time("\"\"", PARIS)).isEmpty();
        assertThatThrownBy(() -> Hl7v2Fields.time("12/03/2026", PARIS)).isInstanceOf(DateTimeException.class);
    }

    @Test
    void referenceRange_limitsWhereNumericTextAlways() {
        assertThat(Hl7v2Fields.referenceRange(" 3.5 - 5.1 ", "mmol/L"))
                .contains(range("3.5", "5.1", "mmol/L", "3.5 - 5.1"));
        assertThat(Hl7v2Fields.referenceRange("-2.0-2.0", "mmol/L"))
                .contains(range("-2.0", "2.0", "mmol/L", "-2.0-2.0"));
        assertThat(Hl7v2Fields.referenceRange(">40", "mg/dL")).contains(range("40", null, "mg/dL", ">40"));
        assertThat(Hl7v2Fields.referenceRange("<=5", "mg/L")).contains(range(null, "5", "mg/L", "<=5"));
        assertThat(Hl7v2Fields.referenceRange("negative", null)).contains(range(null, null, null, "negative"));
        assertThat(Hl7v2Fields.referenceRange("", "mg/L")).isEmpty();
    }

    private static ReferenceRange range(String low, String high, String unit, String text) {
        return new ReferenceRange(
                low == null ? null : new BigDecimal(low), high == null ? null : new BigDecimal(high), unit, text);
    }
}
