package health.vigil.ingestion.device;

import health.vigil.ingestion.api.IngestionProperties;
import health.vigil.ingestion.api.Measurement;
import health.vigil.ingestion.common.Digests;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.SampledData;

/**
 * Turns high-rate series into {@code SampledData} Observations: the readings of one patient, device,
 * code and unit that fall into the same window ({@code window} long, aligned to the epoch in UTC) and
 * come at a steady rate, at least {@code minSamples} of them no more than {@code maxInterval} apart,
 * become one Observation whose {@code valueSampledData} holds them in order. Every other reading stays
 * a Quantity Observation of its own: spot readings, lab results, periods, components.
 *
 * <p>The sampling period is the shortest gap between the window's readings; each reading takes the
 * slot its time falls in (to the nearest period), and slots without a reading are {@code E}. A window
 * whose readings do not fit one period (two in one slot) stays spot readings.
 *
 * <p>A window Observation's id derives from the patient, source, code, device, the window's start and
 * the identities of the readings in it: the same readings make the same Observation however they were
 * batched, and a later batch with other readings of the same minute makes another, never overwriting
 * the first.
 */
final class SampledWindows {

    private final IngestionProperties.SampledData settings;
    private final Set<String> codes;

    /** Windows as {@code vigil.ingestion.sampled-data.*} configures them (validated when bound). */
    SampledWindows(IngestionProperties.SampledData settings) {
        this.settings = settings;
        this.codes = Set.copyOf(settings.codes());
    }

    /**
     * The batch's items with every qualifying window's readings replaced by one window item, at the
     * place of the window's first reading; other items as they were, in order.
     */
    List<IngestionTransaction.Item> apply(List<IngestionTransaction.Item> items) {
        Map<String, List<IngestionTransaction.Item>> windows = new LinkedHashMap<>();
        for (IngestionTransaction.Item item : items) {
            if (eligible(item)) {
                windows.computeIfAbsent(windowKey(item), key -> new ArrayList<>())
                        .add(item);
            }
        }
        Map<IngestionTransaction.Item, IngestionTransaction.Item> replacedBy = new IdentityHashMap<>();
        for (List<IngestionTransaction.Item> readings : windows.values()) {
            List<IngestionTransaction.Item> distinct = distinctByObservation(readings);
            if (distinct.size() < settings.minSamples()) {
                continue;
            }
            IngestionTransaction.Item window = window(distinct);
            if (window != null) {
                readings.forEach(reading -> replacedBy.put(reading, window));
            }
        }
        if (replacedBy.isEmpty()) {
            return items;
        }
        List<IngestionTransaction.Item> result = new ArrayList<>();
        Set<IngestionTransaction.Item> placed = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (IngestionTransaction.Item item : items) {
            IngestionTransaction.Item window = replacedBy.get(item);
            if (window == null) {
                result.add(item);
            } else if (placed.add(window)) {
                result.add(window);
            }
        }
        return result;
    }

    private boolean eligible(IngestionTransaction.Item item) {
        Measurement measurement = item.measurement();
        return measurement.lab() == null
                && measurement.end() == null
                && measurement.value() instanceof Measurement.Quantity
                && codes.contains(measurement.code())
                && item.observation().hasValueQuantity();
    }

    private String windowKey(IngestionTransaction.Item item) {
        Measurement measurement = item.measurement();
        long windowMillis = settings.window().toMillis();
        long index = Math.floorDiv(measurement.start().toInstant().toEpochMilli(), windowMillis);
        return String.join(
                "|",
                measurement.patientId(),
                measurement.source(),
                measurement.code(),
                device(measurement),
                item.observation().getValueQuantity().getCode(),
                Long.toString(index));
    }

    private static String device(Measurement measurement) {
        Measurement.DeviceIdentity device = measurement.device();
        if (device == null) {
            return "";
        }
        return ObservationMapper.identified(device) ? ObservationMapper.deviceId(device) : "named:" + device.name();
    }

    /** One item per Observation id (a reading sent twice in the batch counts once), by time. */
    private static List<IngestionTransaction.Item> distinctByObservation(List<IngestionTransaction.Item> readings) {
        Map<String, IngestionTransaction.Item> byId = new LinkedHashMap<>();
        readings.forEach(
                item -> byId.putIfAbsent(item.observation().getIdElement().getIdPart(), item));
        return byId.values().stream()
                .sorted(Comparator.comparing(item -> item.measurement().start().toInstant()))
                .toList();
    }

    /** The window item for a window's readings, or null if they are not a steady series. */
    private IngestionTransaction.Item window(List<IngestionTransaction.Item> readings) {
        long[] times = readings.stream()
                .mapToLong(item -> item.measurement().start().toInstant().toEpochMilli())
                .toArray();
        long period = Long.MAX_VALUE;
        for (int i = 1; i < times.length; i++) {
            long gap = times[i] - times[i - 1];
            if (gap <= 0) {
                return null; // two readings at the same time: not one series
            }
            period = Math.min(period, gap);
        }
        if (period > settings.maxInterval().toMillis()) {
            return null;
        }
        int slots = Math.toIntExact(Math.round((times[times.length - 1] - times[0]) / (double) period)) + 1;
        if (slots > 10 * readings.size()) {
            return null; // too sparse to be one series at this rate
        }
        String[] data = new String[slots];
        java.util.Arrays.fill(data, "E");
        for (int i = 0; i < readings.size(); i++) {
            int slot = Math.toIntExact(Math.round((times[i] - times[0]) / (double) period));
            if (!"E".equals(data[slot])) {
                return null; // two readings in one slot: the series has no single period
            }
            BigDecimal value = readings.get(i).observation().getValueQuantity().getValue();
            data[slot] = value.toPlainString();
        }
        IngestionTransaction.Item first = readings.get(0);
        IngestionTransaction.Item last = readings.get(readings.size() - 1);
        Quantity unit = first.observation().getValueQuantity();
        OffsetDateTime start = first.measurement().start();
        OffsetDateTime end = last.measurement().start();

        String digest = Digests.sha256Prefix(
                readings.stream()
                        .map(item -> item.measurement().recordId())
                        .sorted()
                        .collect(Collectors.joining("\n")),
                8);
        long windowMillis = settings.window().toMillis();
        long windowStart = Math.floorDiv(start.toInstant().toEpochMilli(), windowMillis) * windowMillis;
        String recordId = "window/" + first.measurement().code() + "/" + java.time.Instant.ofEpochMilli(windowStart)
                + "/" + digest;

        Observation observation = first.observation().copy();
        observation.setId(UUID.nameUUIDFromBytes(String.join(
                                "|",
                                "Observation",
                                first.measurement().patientId(),
                                first.measurement().source(),
                                recordId,
                                device(first.measurement()))
                        .getBytes(StandardCharsets.UTF_8))
                .toString());
        observation.getIdentifier().clear();
        observation
                .addIdentifier()
                .setSystem(ObservationMapper.RECORD_IDENTIFIER_SYSTEM)
                .setValue(first.measurement().source() + "/" + recordId);
        observation.setEffective(new Period()
                .setStartElement(ObservationMapper.dateTime(start))
                .setEndElement(ObservationMapper.dateTime(end)));
        observation.setValue(new SampledData()
                .setOrigin(new Quantity()
                        .setValue(BigDecimal.ZERO)
                        .setUnit(unit.getUnit())
                        .setSystem(unit.getSystem())
                        .setCode(unit.getCode()))
                .setPeriod(BigDecimal.valueOf(period))
                .setDimensions(1)
                .setData(String.join(" ", data)));
        Measurement representative = new Measurement(
                first.measurement().code(),
                first.measurement().sourceCode(),
                first.measurement().value(),
                start,
                end,
                first.measurement().device(),
                first.measurement().patientId(),
                first.measurement().patientIdentifier(),
                first.measurement().source(),
                recordId);
        return new IngestionTransaction.Item(representative, observation);
    }
}
