package health.vigil.benchmarks;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The device readings of the ingestion suite, heart rates and blood pressures, each one distinct: reading
 * number {@code n} of the suite has the message id {@code r-n} and the time {@link #FIRST_READING} plus
 * {@code n} seconds, so no two readings share an id or a second and nothing is deduplicated by accident.
 * Values are plausible, times carry a UTC offset (four offsets in turn, as devices in different zones
 * would send them).
 *
 * <p>Renders readings as the device messages the harness's templates read ({@code
 * ingest/device-templates.json}) and as the FHIR Observations a client would POST one by one.
 */
final class DeviceReadings {

    /** Reading {@code n} is {@code n} seconds after this. */
    static final Instant FIRST_READING = Instant.parse("2025-06-01T00:00:00Z");

    /** The LOINC system, for codes and searches. */
    static final String LOINC = "http://loinc.org";

    private static final List<ZoneOffset> OFFSETS =
            List.of(ZoneOffset.UTC, ZoneOffset.ofHours(1), ZoneOffset.ofHours(-5), ZoneOffset.ofHoursMinutes(5, 30));

    /** Seconds with an explicit offset, {@code +00:00} rather than {@code Z}. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

    private static final String HEART_RATE_MESSAGE =
            "{\"msgId\":\"%s\",\"type\":\"hr\",\"serial\":\"band-%s\",\"at\":\"%s\",\"bpm\":%d}";
    private static final String BLOOD_PRESSURE_MESSAGE =
            "{\"msgId\":\"%s\",\"type\":\"bp\",\"serial\":\"cuff-%s\",\"at\":\"%s\",\"sys\":%d,\"dia\":%d}";

    private static final String OBSERVATION_START =
            """
            {"resourceType":"Observation","status":"final",
             "identifier":[{"system":"urn:vigil-bench:reading","value":"%s"}],
             "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category",
               "code":"vital-signs","display":"Vital Signs"}]}],
             "subject":{"reference":"Patient/%s"},
             "effectiveDateTime":"%s",
            """;
    private static final String HEART_RATE_OBSERVATION =
            """
             "code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}],"text":"Heart rate"},
             "valueQuantity":{"value":%d,"unit":"beats/minute","system":"http://unitsofmeasure.org","code":"/min"}}
            """;
    private static final String BLOOD_PRESSURE_OBSERVATION =
            """
             "code":{"coding":[{"system":"http://loinc.org","code":"85354-9",
               "display":"Blood pressure panel with all children optional"}],"text":"Blood pressure"},
             "component":[
              {"code":{"coding":[{"system":"http://loinc.org","code":"8480-6","display":"Systolic blood pressure"}]},
               "valueQuantity":{"value":%d,"unit":"mmHg","system":"http://unitsofmeasure.org","code":"mm[Hg]"}},
              {"code":{"coding":[{"system":"http://loinc.org","code":"8462-4","display":"Diastolic blood pressure"}]},
               "valueQuantity":{"value":%d,"unit":"mmHg","system":"http://unitsofmeasure.org","code":"mm[Hg]"}}]}
            """;

    /** What a reading measured. */
    enum Kind {
        HEART_RATE("8867-4"),
        BLOOD_PRESSURE("85354-9");

        private final String loincCode;

        Kind(String loincCode) {
            this.loincCode = loincCode;
        }

        String loincCode() {
            return loincCode;
        }
    }

    /**
     * One reading.
     *
     * @param number its number in the suite: it gives the id and the time
     * @param patientId the FHIR id of the patient it is about
     * @param kind heart rate ({@code value} in /min) or blood pressure ({@code value} systolic, {@code
     *     diastolic}, in mm[Hg])
     * @param time when it was measured, with the device's offset
     * @param value heart rate or systolic pressure
     * @param diastolic diastolic pressure, 0 for a heart rate
     */
    record Reading(long number, String patientId, Kind kind, OffsetDateTime time, int value, int diastolic) {

        String messageId() {
            return "r-" + number;
        }

        String formattedTime() {
            return TIME.format(time);
        }

        /**
         * The search that finds this reading's Observation, and only it: its patient, its code and its
         * second ({@code date=eq} with seconds matches that second).
         */
        String searchQuery() {
            return "Observation?subject=Patient/" + patientId + "&code="
                    + URLEncoder.encode(LOINC + "|" + kind.loincCode(), StandardCharsets.UTF_8) + "&date=eq"
                    + URLEncoder.encode(formattedTime(), StandardCharsets.UTF_8);
        }
    }

    private final AtomicLong next = new AtomicLong();

    /** The next {@code count} readings of the suite, all about one patient; every fourth is a blood pressure. */
    List<Reading> next(String patientId, int count) {
        long first = next.getAndAdd(count);
        List<Reading> readings = new ArrayList<>(count);
        for (long n = first; n < first + count; n++) {
            readings.add(reading(n, patientId, n % 4 == 3 ? Kind.BLOOD_PRESSURE : Kind.HEART_RATE));
        }
        return readings;
    }

    /** The next heart rate of the suite, about one patient. */
    Reading nextHeartRate(String patientId) {
        return reading(next.getAndIncrement(), patientId, Kind.HEART_RATE);
    }

    private static Reading reading(long n, String patientId, Kind kind) {
        OffsetDateTime time = FIRST_READING.plusSeconds(n).atOffset(OFFSETS.get((int) (n % OFFSETS.size())));
        // Plausible and varied: heart rate 50-119 /min, systolic 100-149 over diastolic 60-89 mm[Hg].
        return kind == Kind.HEART_RATE
                ? new Reading(n, patientId, kind, time, 50 + (int) (n * 37 % 70), 0)
                : new Reading(n, patientId, kind, time, 100 + (int) (n * 13 % 50), 60 + (int) (n * 7 % 30));
    }

    /** The readings as one payload of device messages, a JSON array (the template format). */
    static String deviceMessages(List<Reading> readings) {
        return readings.stream().map(DeviceReadings::deviceMessage).collect(Collectors.joining(",", "[", "]"));
    }

    private static String deviceMessage(Reading reading) {
        return reading.kind() == Kind.HEART_RATE
                ? HEART_RATE_MESSAGE.formatted(
                        reading.messageId(), reading.patientId(), reading.formattedTime(), reading.value())
                : BLOOD_PRESSURE_MESSAGE.formatted(
                        reading.messageId(),
                        reading.patientId(),
                        reading.formattedTime(),
                        reading.value(),
                        reading.diastolic());
    }

    /** The reading as a vital-signs Observation (R4 heart-rate or blood-pressure profile), to POST. */
    static String observation(Reading reading) {
        String start = OBSERVATION_START.formatted(reading.messageId(), reading.patientId(), reading.formattedTime());
        return start
                + (reading.kind() == Kind.HEART_RATE
                        ? HEART_RATE_OBSERVATION.formatted(reading.value())
                        : BLOOD_PRESSURE_OBSERVATION.formatted(reading.value(), reading.diastolic()));
    }
}
