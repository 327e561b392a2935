package health.vigil.ingestion.device;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * What a living patient's vital signs can be: wider than any clinical reference range, so only
 * impossible readings (a heart rate of 900, a negative weight) are refused, never unusual ones.
 */
final class PlausibleRanges {

    /** A closed range in one UCUM unit. */
    record Range(BigDecimal low, BigDecimal high, String unit) {
        boolean contains(BigDecimal value) {
            return value.compareTo(low) >= 0 && value.compareTo(high) <= 0;
        }

        @Override
        public String toString() {
            return low.toPlainString() + "–" + high.toPlainString() + " " + unit;
        }
    }

    private static final Map<String, Range> BY_CODE = Map.ofEntries(
            range("8867-4", "20", "300", "/min"), // heart rate
            range("40443-4", "20", "250", "/min"), // resting heart rate
            range("9279-1", "2", "100", "/min"), // respiratory rate
            range("2708-6", "40", "100", "%"), // oxygen saturation
            range("59408-5", "40", "100", "%"),
            range("8310-5", "25", "45", "Cel"), // body temperature
            range("29463-7", "0.2", "700", "kg"), // body weight
            range("8302-2", "20", "300", "cm"), // body height
            range("9843-4", "15", "80", "cm"), // head circumference
            range("39156-5", "5", "200", "kg/m2"), // BMI
            range("8480-6", "30", "300", "mm[Hg]"), // systolic
            range("8462-4", "10", "250", "mm[Hg]"), // diastolic
            range("8478-0", "15", "300", "mm[Hg]"), // mean arterial pressure
            range("41950-7", "0", "200000", "/(24.h)"), // steps per day
            range("55423-8", "0", "200000", "{steps}"), // steps in a period
            range("80404-7", "0", "1000", "ms"), // heart rate variability (SDNN)
            range("41982-0", "1", "80", "%")); // body fat

    private PlausibleRanges() {}

    /** The range for a LOINC code, if Vigil checks that code. */
    static Optional<Range> of(String code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }

    private static Map.Entry<String, Range> range(String code, String low, String high, String unit) {
        return Map.entry(code, new Range(new BigDecimal(low), new BigDecimal(high), unit));
    }
}
