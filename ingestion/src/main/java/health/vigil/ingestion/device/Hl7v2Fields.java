package health.vigil.ingestion.device;

import health.vigil.ingestion.api.Measurement.Interpretation;
import health.vigil.ingestion.api.Measurement.ReferenceRange;
import health.vigil.ingestion.api.Measurement.ResultStatus;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** HL7 v2 field values read into Vigil's terms: times, reference ranges, flags and statuses. */
final class Hl7v2Fields {

    private static final Pattern TIME =
            Pattern.compile("(\\d{4})(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(?:\\.(\\d{1,4}))?([+-]\\d{4})?");
    private static final String NUMBER = "([+-]?\\d+(?:\\.\\d+)?|[+-]?\\.\\d+)";
    private static final Pattern BETWEEN = Pattern.compile(NUMBER + "\\s*(?:-|–|to)\\s*" + NUMBER);
    private static final Pattern BOUND = Pattern.compile("(<=|>=|<|>|≤|≥)\\s*" + NUMBER);

    /** OBX-8 (HL7 table 0078) codes Vigil stores; the v3 ObservationInterpretation codes are the same. */
    private static final Map<String, Interpretation> FLAGS = Map.of(
            "H", Interpretation.H,
            "L", Interpretation.L,
            "HH", Interpretation.HH,
            "LL", Interpretation.LL,
            "A", Interpretation.A,
            "AA", Interpretation.AA,
            "N", Interpretation.N);

    private Hl7v2Fields() {}

    /** Whether a field is empty or HL7's explicit null ({@code ""}). */
    static boolean absent(String value) {
        return value == null || value.isBlank() || value.strip().equals("\"\"");
    }

    /**
     * An HL7 v2 time ({@code YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]}); without an offset, in
     * {@code zone}. Missing parts are the start of the period (a date is its midnight).
     *
     * @throws DateTimeException if it is not such a time
     */
    static Optional<OffsetDateTime> time(String value, ZoneId zone) {
        if (absent(value)) {
            return Optional.empty();
        }
        Matcher time = TIME.matcher(value.strip());
        if (!time.matches()) {
            throw new DateTimeException("'" + value + "' is not an HL7 v2 time (YYYYMMDDHHMMSS[+ZZZZ])");
        }
        String fraction = time.group(7) == null ? "0" : (time.group(7) + "000").substring(0, 4);
        LocalDateTime local = LocalDateTime.of(
                Integer.parseInt(time.group(1)),
                part(time.group(2), 1),
                part(time.group(3), 1),
                part(time.group(4), 0),
                part(time.group(5), 0),
                part(time.group(6), 0),
                Integer.parseInt(fraction) * 100_000);
        if (time.group(8) != null) {
            return Optional.of(local.atOffset(ZoneOffset.of(time.group(8))));
        }
        return Optional.of(local.atZone(zone).toOffsetDateTime());
    }

    /** OBX-7 as printed, with its limits where it has numeric ones ("3.8-11.2", "&lt;5", "&gt;=40"). */
    static Optional<ReferenceRange> referenceRange(String value, String unit) {
        if (absent(value)) {
            return Optional.empty();
        }
        String text = value.strip();
        Matcher between = BETWEEN.matcher(text);
        if (between.matches()) {
            return Optional.of(
                    new ReferenceRange(new BigDecimal(between.group(1)), new BigDecimal(between.group(2)), unit, text));
        }
        Matcher bound = BOUND.matcher(text);
        if (bound.matches()) {
            BigDecimal limit = new BigDecimal(bound.group(2));
            boolean upper = bound.group(1).startsWith("<") || bound.group(1).equals("≤");
            return Optional.of(new ReferenceRange(upper ? null : limit, upper ? limit : null, unit, text));
        }
        return Optional.of(new ReferenceRange(null, null, unit, text));
    }

    /** The interpretation of an OBX-8 flag that is present; empty if Vigil does not store that flag. */
    static Optional<Interpretation> interpretation(String flag) {
        return Optional.ofNullable(FLAGS.get(flag.strip().toUpperCase(Locale.ROOT)));
    }

    /**
     * OBX-11: F final, C corrected, P preliminary; R (not yet verified) and S (partial) are
     * preliminary too, as in the HL7 v2-to-FHIR mapping. Others (D, W deletions, X no result, I pending)
     * are not results to store: empty.
     */
    static Optional<ResultStatus> resultStatus(String status) {
        if (absent(status)) {
            return Optional.empty();
        }
        return switch (status.strip().toUpperCase(Locale.ROOT)) {
            case "F" -> Optional.of(ResultStatus.FINAL);
            case "C" -> Optional.of(ResultStatus.CORRECTED);
            case "P", "R", "S" -> Optional.of(ResultStatus.PRELIMINARY);
            default -> Optional.empty();
        };
    }

    /** OBR-25: F, C, P, and A (some results available) as partial; anything else is not said. */
    static Optional<ResultStatus> reportStatus(String status) {
        if (absent(status)) {
            return Optional.empty();
        }
        return switch (status.strip().toUpperCase(Locale.ROOT)) {
            case "F" -> Optional.of(ResultStatus.FINAL);
            case "C" -> Optional.of(ResultStatus.CORRECTED);
            case "P", "R" -> Optional.of(ResultStatus.PRELIMINARY);
            case "A" -> Optional.of(ResultStatus.PARTIAL);
            default -> Optional.empty();
        };
    }

    private static int part(String digits, int missing) {
        return digits == null ? missing : Integer.parseInt(digits);
    }
}
