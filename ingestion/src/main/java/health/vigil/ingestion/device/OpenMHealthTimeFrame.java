package health.vigil.ingestion.device;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * An Open mHealth {@code time-frame}: a {@code date_time}, or a {@code time_interval} given by two of
 * {@code start_date_time}, {@code end_date_time} and {@code duration}. Times keep the UTC offset they
 * were written with; one written without an offset is refused, since Vigil will not guess the zone.
 *
 * @param start the instant, or the interval's start
 * @param end the interval's end; {@code null} for an instant
 */
record OpenMHealthTimeFrame(OffsetDateTime start, OffsetDateTime end) {

    private static final String PATH = "body.effective_time_frame";

    /** Exact durations by unit (duration-unit-value's enum), in nanoseconds. */
    private static final Map<String, BigDecimal> NANOS = Map.of(
            "ps", new BigDecimal("0.001"),
            "ns", BigDecimal.ONE,
            "us", BigDecimal.valueOf(1_000L),
            "ms", BigDecimal.valueOf(1_000_000L),
            "sec", BigDecimal.valueOf(1_000_000_000L),
            "min", BigDecimal.valueOf(60_000_000_000L),
            "h", BigDecimal.valueOf(3_600_000_000_000L),
            "d", BigDecimal.valueOf(86_400_000_000_000L),
            "wk", BigDecimal.valueOf(604_800_000_000_000L));

    /** Calendar durations: a month or a year has no fixed length, so only whole ones are added. */
    private static final Map<String, BiFunction<OffsetDateTime, Long, OffsetDateTime>> CALENDAR =
            Map.of("Mo", OffsetDateTime::plusMonths, "yr", OffsetDateTime::plusYears);

    /**
     * Reads {@code body.effective_time_frame}.
     *
     * @param intervalOnly whether the schema allows only a {@code time_interval}
     * @param what the schema's name, for messages
     */
    static OpenMHealthTimeFrame read(JsonNode body, boolean intervalOnly, String what) throws InvalidDataPoint {
        JsonNode frame = body.get("effective_time_frame");
        if (frame == null || frame.isNull()) {
            throw new InvalidDataPoint(
                    PATH, "the data point has no effective_time_frame, so it is not known when it was measured");
        }
        if (!frame.isObject()) {
            throw new InvalidDataPoint(PATH, "effective_time_frame must be an object with date_time or time_interval");
        }
        boolean instant = frame.has("date_time");
        boolean interval = frame.has("time_interval");
        if (instant && interval) {
            throw new InvalidDataPoint(PATH, "effective_time_frame has both date_time and time_interval; give one");
        }
        if (instant) {
            if (intervalOnly) {
                throw new InvalidDataPoint(
                        PATH + ".date_time", what + " is counted over a period: give a time_interval, not a date_time");
            }
            return new OpenMHealthTimeFrame(dateTime(frame.get("date_time"), PATH + ".date_time"), null);
        }
        if (interval) {
            return interval(frame.get("time_interval"), PATH + ".time_interval");
        }
        throw new InvalidDataPoint(PATH, "effective_time_frame needs a date_time or a time_interval");
    }

    private static OpenMHealthTimeFrame interval(JsonNode interval, String path) throws InvalidDataPoint {
        if (!interval.isObject()) {
            throw new InvalidDataPoint(path, "time_interval must be an object");
        }
        boolean hasStart = interval.has("start_date_time");
        boolean hasEnd = interval.has("end_date_time");
        boolean hasDuration = interval.has("duration");
        int given = (hasStart ? 1 : 0) + (hasEnd ? 1 : 0) + (hasDuration ? 1 : 0);
        if (given == 3) {
            throw new InvalidDataPoint(
                    path, "time_interval gives start_date_time, end_date_time and duration; give exactly two of them");
        }
        if (given < 2) {
            String why = interval.has("date") || interval.has("part_of_day")
                    ? "a date and part_of_day do not say when with an offset; "
                    : "";
            throw new InvalidDataPoint(
                    path, why + "time_interval needs two of start_date_time, end_date_time and duration");
        }
        if (hasStart && hasEnd) {
            OffsetDateTime start = dateTime(interval.get("start_date_time"), path + ".start_date_time");
            OffsetDateTime end = dateTime(interval.get("end_date_time"), path + ".end_date_time");
            if (end.isBefore(start)) {
                throw new InvalidDataPoint(
                        path + ".end_date_time", "end_date_time " + end + " is before start_date_time " + start);
            }
            return new OpenMHealthTimeFrame(start, end);
        }
        JsonNode duration = interval.get("duration");
        if (hasStart) {
            OffsetDateTime start = dateTime(interval.get("start_date_time"), path + ".start_date_time");
            return new OpenMHealthTimeFrame(start, plus(start, duration, 1, path + ".duration"));
        }
        OffsetDateTime end = dateTime(interval.get("end_date_time"), path + ".end_date_time");
        return new OpenMHealthTimeFrame(plus(end, duration, -1, path + ".duration"), end);
    }

    /** The time {@code sign} durations away from {@code time}, in {@code time}'s offset. */
    private static OffsetDateTime plus(OffsetDateTime time, JsonNode duration, int sign, String path)
            throws InvalidDataPoint {
        if (!duration.isObject()) {
            throw new InvalidDataPoint(path, "duration must be a unit-value object {value, unit}");
        }
        JsonNode value = duration.get("value");
        JsonNode unit = duration.get("unit");
        if (value == null || !value.isNumber()) {
            throw new InvalidDataPoint(path + ".value", "duration needs a numeric value");
        }
        if (unit == null || !unit.isTextual()) {
            throw new InvalidDataPoint(path + ".unit", "duration needs a unit");
        }
        BigDecimal amount = value.decimalValue();
        if (amount.signum() < 0) {
            throw new InvalidDataPoint(path + ".value", "duration " + amount.toPlainString() + " is negative");
        }
        BigDecimal nanosPerUnit = NANOS.get(unit.textValue());
        if (nanosPerUnit != null) {
            long nanos = amount.multiply(nanosPerUnit)
                    .setScale(0, RoundingMode.HALF_UP)
                    .longValueExact();
            return time.plus(Duration.ofNanos(sign * nanos));
        }
        BiFunction<OffsetDateTime, Long, OffsetDateTime> calendar = CALENDAR.get(unit.textValue());
        if (calendar == null) {
            throw new InvalidDataPoint(
                    path + ".unit",
                    "duration unit '" + unit.textValue()
                            + "' is not one of ps, ns, us, ms, sec, min, h, d, wk, Mo, yr");
        }
        if (amount.stripTrailingZeros().scale() > 0) {
            throw new InvalidDataPoint(
                    path + ".value",
                    "a duration of " + amount.toPlainString() + " " + unit.textValue()
                            + " has no definite length; give whole months or years, or a smaller unit");
        }
        return calendar.apply(time, sign * amount.longValueExact());
    }

    /** An RFC 3339 date-time with its offset. */
    static OffsetDateTime dateTime(JsonNode node, String path) throws InvalidDataPoint {
        if (node == null || !node.isTextual()) {
            throw new InvalidDataPoint(path, "must be a date-time string such as 2026-11-30T07:15:00+02:00");
        }
        String text = node.textValue();
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException notOffset) {
            if (withoutOffset(text)) {
                throw new InvalidDataPoint(
                        path,
                        "date-time '" + text + "' has no UTC offset; write it with one (Z or +02:00), as RFC 3339"
                                + " requires");
            }
            throw new InvalidDataPoint(
                    path, "'" + text + "' is not an RFC 3339 date-time such as 2026-11-30T07:15:00+02:00");
        }
    }

    private static boolean withoutOffset(String text) {
        try {
            LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
