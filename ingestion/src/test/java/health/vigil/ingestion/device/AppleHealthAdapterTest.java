package health.vigil.ingestion.device;

import static health.vigil.ingestion.device.DeviceTemplatesTest.TERMINOLOGY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import health.vigil.ingestion.api.FeedException;
import health.vigil.ingestion.api.IngestionErrors;
import health.vigil.ingestion.api.Measurement;
import health.vigil.ingestion.api.Measurement.Component;
import health.vigil.ingestion.api.Measurement.Components;
import health.vigil.ingestion.api.Measurement.DeviceIdentity;
import health.vigil.ingestion.api.Measurement.Quantity;
import health.vigil.ingestion.api.MeasurementProblem;
import health.vigil.terminology.api.DeviceVocabulary;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Apple Health adapter against {@code apple-health/export.xml}, an export written to the shape of
 * the Health app's (its internal DTD included): one patient's vitals from a watch, a phone, a scale
 * and a blood pressure cuff, with the duplicates, units and record kinds real exports have.
 */
class AppleHealthAdapterTest {

    private static final String HEALTHKIT = DeviceVocabulary.HEALTHKIT.system();
    private static final DeviceIdentity WATCH = new DeviceIdentity(null, null, "Apple Watch (Watch, Watch6,1)");
    private static final DeviceIdentity CUFF =
            new DeviceIdentity(AppleHealthAdapter.DEVICE_SYSTEM, "00:24:e4:8b:02:3f", "BPM Connect");

    private final AppleHealthAdapter adapter = new AppleHealthAdapter(TERMINOLOGY.deviceCodes(), 64L << 20);

    static byte[] export() {
        return Fixtures.bytes("/apple-health/export.xml");
    }

    @Test
    void read_export_everyMappedRecordInFeedOrderThenStandaloneBloodPressure() throws IOException {
        CollectingSink sink = read(export());

        assertThat(sink.problems).isEmpty();
        assertThat(sink.measurements)
                .extracting(Measurement::code, m -> m.sourceCode().code(), m -> m.value())
                .containsExactly(
                        tuple(
                                "8302-2",
                                "HKQuantityTypeIdentifierHeight",
                                new Quantity(new BigDecimal("5.41667"), "ft")),
                        tuple(
                                "29463-7",
                                "HKQuantityTypeIdentifierBodyMass",
                                new Quantity(new BigDecimal("143.6"), "lb")),
                        tuple(
                                "39156-5",
                                "HKQuantityTypeIdentifierBodyMassIndex",
                                new Quantity(new BigDecimal("23.9"), "kg/m2")),
                        tuple(
                                "41982-0",
                                "HKQuantityTypeIdentifierBodyFatPercentage",
                                new Quantity(new BigDecimal("28.4"), "%")),
                        tuple(
                                "8867-4",
                                "HKQuantityTypeIdentifierHeartRate",
                                new Quantity(new BigDecimal("64"), "count/min")),
                        tuple(
                                "8867-4",
                                "HKQuantityTypeIdentifierHeartRate",
                                new Quantity(new BigDecimal("71.5"), "count/min")),
                        tuple(
                                "8867-4",
                                "HKQuantityTypeIdentifierHeartRate",
                                new Quantity(new BigDecimal("71.5"), "count/min")),
                        tuple(
                                "40443-4",
                                "HKQuantityTypeIdentifierRestingHeartRate",
                                new Quantity(new BigDecimal("58"), "count/min")),
                        tuple(
                                "80404-7",
                                "HKQuantityTypeIdentifierHeartRateVariabilitySDNN",
                                new Quantity(new BigDecimal("42.7312"), "ms")),
                        tuple(
                                "59408-5",
                                "HKQuantityTypeIdentifierOxygenSaturation",
                                new Quantity(new BigDecimal("96"), "%")),
                        tuple(
                                "9279-1",
                                "HKQuantityTypeIdentifierRespiratoryRate",
                                new Quantity(new BigDecimal("14.5"), "count/min")),
                        tuple(
                                "8310-5",
                                "HKQuantityTypeIdentifierBodyTemperature",
                                new Quantity(new BigDecimal("99.1"), "degF")),
                        tuple(
                                "2339-0",
                                "HKQuantityTypeIdentifierBloodGlucose",
                                new Quantity(new BigDecimal("104"), "mg/dL")),
                        tuple(
                                "55423-8",
                                "HKQuantityTypeIdentifierStepCount",
                                new Quantity(new BigDecimal("1184"), "{steps}")),
                        tuple(
                                "85354-9",
                                "HKCorrelationTypeIdentifierBloodPressure",
                                new Components(List.of(
                                        new Component("8480-6", new BigDecimal("128"), "mmHg"),
                                        new Component("8462-4", new BigDecimal("82"), "mmHg")))),
                        tuple(
                                "8480-6",
                                "HKQuantityTypeIdentifierBloodPressureSystolic",
                                new Quantity(new BigDecimal("131"), "mmHg")));
        assertThat(sink.measurements).allSatisfy(m -> {
            assertThat(m.source()).isEqualTo(AppleHealthAdapter.SOURCE);
            assertThat(m.sourceCode().system()).isEqualTo(HEALTHKIT);
            assertThat(m.patientId()).isNull();
            assertThat(m.patientIdentifier()).isNull();
        });
    }

    @Test
    void read_export_skipsTheKindsVigilDoesNotStoreAndCountsThem() throws IOException {
        assertThat(read(export()).skipped)
                .isEqualTo(Map.of(
                        "HKQuantityTypeIdentifierActiveEnergyBurned", 2L,
                        "HKCategoryTypeIdentifierSleepAnalysis", 1L,
                        "HKCorrelationTypeIdentifierFood", 1L,
                        "Workout", 1L,
                        "ActivitySummary", 1L));
    }

    @Test
    void read_export_keepsTheOffsetOfEachRecordAndPeriodsAsPeriods() throws IOException {
        List<Measurement> read = read(export()).measurements;

        Measurement heartRate = read.get(4);
        assertThat(heartRate.start()).isEqualTo(OffsetDateTime.parse("2024-03-05T07:19:54+01:00"));
        assertThat(heartRate.start().getOffset().getId()).isEqualTo("+01:00");
        assertThat(heartRate.end()).isNull();
        Measurement temperature = read.get(11);
        assertThat(temperature.start().toString()).isEqualTo("2024-03-04T19:02-05:00");
        Measurement steps = read.get(13);
        assertThat(steps.start()).isEqualTo(OffsetDateTime.parse("2024-03-05T08:02:12+01:00"));
        assertThat(steps.end()).isEqualTo(OffsetDateTime.parse("2024-03-05T08:12:50+01:00"));
    }

    @Test
    void read_export_devicesIdentifiedOnlyByTheirOwnIdentifier() throws IOException {
        List<Measurement> read = read(export()).measurements;

        assertThat(read.get(0).device()).isNull(); // entered in the Health app
        assertThat(read.get(1).device())
                .isEqualTo(new DeviceIdentity(AppleHealthAdapter.DEVICE_SYSTEM, "00:24:e4:7a:1c:08", "Body+ (WBS05)"));
        assertThat(read.get(4).device()).isEqualTo(WATCH);
        assertThat(read.get(13).device()).isEqualTo(new DeviceIdentity(null, null, "iPhone (iPhone14,5)"));
        assertThat(read.get(14).device()).isEqualTo(CUFF);
    }

    @Test
    void read_export_recordIdsAreStableAndTellSamplesApart() throws IOException {
        List<Measurement> first = read(export()).measurements;
        List<Measurement> again = read(export()).measurements;

        assertThat(again)
                .extracting(Measurement::recordId)
                .isEqualTo(first.stream().map(Measurement::recordId).toList());
        assertThat(first.get(4).recordId()).matches("HeartRate/2024-03-05T07:19:54\\+0100/[0-9a-f]{12}");
        // The same sample written twice is one record; every other record is its own.
        assertThat(first.get(5).recordId()).isEqualTo(first.get(6).recordId());
        assertThat(first.stream().map(Measurement::recordId).distinct()).hasSize(first.size() - 1);
    }

    @Test
    void read_exportZip_readsTheExportXmlInside() throws IOException {
        byte[] zip = zip(
                Map.entry("apple_health_export/export_cda.xml", "<ClinicalDocument/>".getBytes(StandardCharsets.UTF_8)),
                Map.entry(
                        "apple_health_export/workout-routes/route_2024-03-05_6.09pm.gpx",
                        "<gpx/>".getBytes(StandardCharsets.UTF_8)),
                Map.entry("apple_health_export/export.xml", export()));

        CollectingSink fromZip = read(zip);

        assertThat(fromZip.measurements).isEqualTo(read(export()).measurements);
        assertThat(fromZip.skipped).isEqualTo(read(export()).skipped);
    }

    @Test
    void read_zipWithoutExportXml_malformedNamingWhatItHolds() {
        byte[] zip = zip(Map.entry("photos/cat.jpg", new byte[] {1, 2, 3}));

        assertThatThrownBy(() -> read(zip))
                .isInstanceOfSatisfying(
                        FeedException.class, e -> assertThat(e.error()).isEqualTo(IngestionErrors.MALFORMED_PAYLOAD))
                .hasMessageContaining("the zip holds no export.xml")
                .hasMessageContaining("photos/cat.jpg");
    }

    @Test
    void read_zipThatExpandsBeyondTheLimit_refusedWithoutReadingOn() {
        // 8 MiB of blanks inside the root element compress to a few KiB.
        byte[] padding = " ".repeat(8 << 20).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream xml = new ByteArrayOutputStream();
        xml.writeBytes("<HealthData locale=\"en_US\">".getBytes(StandardCharsets.UTF_8));
        xml.writeBytes(padding);
        xml.writeBytes("</HealthData>".getBytes(StandardCharsets.UTF_8));
        byte[] bomb = zip(Map.entry("apple_health_export/export.xml", xml.toByteArray()));
        assertThat(bomb.length).isLessThan(64 << 10);
        AppleHealthAdapter limited = new AppleHealthAdapter(TERMINOLOGY.deviceCodes(), 1 << 20);

        assertThatThrownBy(() -> limited.read(new ByteArrayInputStream(bomb), new CollectingSink()))
                .isInstanceOfSatisfying(
                        FeedException.class, e -> assertThat(e.error()).isEqualTo(IngestionErrors.PAYLOAD_TOO_LARGE))
                .hasMessageContaining("expands to more than 1048576 bytes");
    }

    @Test
    void read_externalEntity_refusedAndTheFileNeverRead(@TempDir Path dir) throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "s3cr3t-contents");
        String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE HealthData [<!ENTITY leak SYSTEM \""
                + secret.toUri() + "\">]>\n<HealthData locale=\"en_US\">\n"
                + "<Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"&leak;\" unit=\"count/min\""
                + " startDate=\"2024-03-05 07:19:54 +0100\" endDate=\"2024-03-05 07:19:54 +0100\" value=\"64\"/>\n"
                + "</HealthData>";

        assertThatThrownBy(() -> read(xml.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        FeedException.class, e -> assertThat(e.error()).isEqualTo(IngestionErrors.MALFORMED_PAYLOAD))
                .hasMessageContaining("line 4")
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void read_entityExpansion_refused() {
        StringBuilder xml =
                new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE HealthData [\n<!ENTITY l0 \"lol\">\n");
        for (int i = 1; i <= 9; i++) {
            xml.append("<!ENTITY l").append(i).append(" \"");
            xml.append(("&l" + (i - 1) + ";").repeat(10)).append("\">\n");
        }
        xml.append(
                "]>\n<HealthData locale=\"en_US\"><Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"&l9;\"/>"
                        + "</HealthData>");

        assertThatThrownBy(() -> read(xml.toString().getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        FeedException.class, e -> assertThat(e.error()).isEqualTo(IngestionErrors.MALFORMED_PAYLOAD));
    }

    @Test
    void read_notAnExport_malformed() {
        assertThatThrownBy(() -> read("<Bundle xmlns=\"http://hl7.org/fhir\"/>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(FeedException.class)
                .hasMessageContaining("its root element is <Bundle>, not <HealthData>");
        assertThatThrownBy(() -> read("{\"resourceType\":\"Bundle\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(FeedException.class)
                .hasMessageContaining("not well-formed XML");
    }

    @Test
    void read_truncatedExport_malformedAtTheLineWhereItBreaks() {
        String export = new String(export(), StandardCharsets.UTF_8);
        byte[] truncated =
                export.substring(0, export.indexOf("<Correlation") + 40).getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> read(truncated))
                .isInstanceOfSatisfying(
                        FeedException.class, e -> assertThat(e.error()).isEqualTo(IngestionErrors.MALFORMED_PAYLOAD))
                .hasMessageContaining("not well-formed XML at line");
    }

    @Test
    void read_brokenRecords_eachRejectedWithWhyAndWhereTheOthersRead() throws IOException {
        CollectingSink sink = read(healthData(
                record("HKQuantityTypeIdentifierHeartRate", "count/min", "64", "2024-03-05 07:19:54 +0100"),
                record("HKQuantityTypeIdentifierHeartRate", "count/min", "sixty", "2024-03-05 07:20:54 +0100"),
                record("HKQuantityTypeIdentifierHeartRate", "count/min", "66", "2024-03-05 07:21:54"),
                record("HKQuantityTypeIdentifierHeartRate", "count/min", "67", null),
                record("HKQuantityTypeIdentifierHeartRate", "count", "68", "2024-03-05 07:23:54 +0100"),
                record("HKQuantityTypeIdentifierHeartRate", null, "69", "2024-03-05 07:24:54 +0100"),
                "<Correlation type=\"HKCorrelationTypeIdentifierBloodPressure\" sourceName=\"Health\""
                        + " startDate=\"2024-03-05 07:30:00 +0100\" endDate=\"2024-03-05 07:30:00 +0100\">"
                        + record(
                                "HKQuantityTypeIdentifierBloodPressureSystolic",
                                "mmHg",
                                "120",
                                "2024-03-05 07:30:00 +0100")
                        + "</Correlation>"));

        assertThat(sink.measurements)
                .extracting(Measurement::value)
                .containsExactly(new Quantity(new BigDecimal("64"), "count/min"));
        assertThat(sink.problems)
                .extracting(MeasurementProblem::element, MeasurementProblem::message)
                .containsExactly(
                        tuple("value", "value 'sixty' is not a number (line 4)"),
                        tuple(
                                "startDate",
                                "startDate '2024-03-05 07:21:54' is not a time with a UTC offset (2024-03-05 07:12:44 +0100)"
                                        + " (line 5)"),
                        tuple(
                                "endDate",
                                "endDate '2024-03-05 07:21:54' is not a time with a UTC offset (2024-03-05 07:12:44 +0100)"
                                        + " (line 5)"),
                        tuple("startDate", "the record has no startDate (line 6)"),
                        tuple(
                                "unit",
                                "unit 'count' of HKQuantityTypeIdentifierHeartRate has no UCUM meaning Vigil knows (line 7)"),
                        tuple("unit", "HKQuantityTypeIdentifierHeartRate 69 has no unit (line 8)"),
                        tuple("value", "the blood pressure correlation has no diastolic record (line 9)"));
        assertThat(sink.problems.get(0).recordId()).startsWith("HeartRate/2024-03-05T07:20:54+0100/");
    }

    @Test
    void deviceFields_valuesMayHoldCommasAndSpaces() {
        assertThat(
                        AppleHealthAdapter.deviceFields(
                                "<<HKDevice: 0x302b1c5a0>, name:Apple Watch, manufacturer:Apple Inc.,"
                                        + " model:Watch, hardware:Watch6,1, software:10.3.1, creation date:2024-02-27 18:04:33 +0000>"))
                .containsExactly(
                        Map.entry("name", "Apple Watch"),
                        Map.entry("manufacturer", "Apple Inc."),
                        Map.entry("model", "Watch"),
                        Map.entry("hardware", "Watch6,1"),
                        Map.entry("software", "10.3.1"),
                        Map.entry("creation date", "2024-02-27 18:04:33 +0000"));
        assertThat(AppleHealthAdapter.device("<<HKDevice: 0x1>, name:Omron BP7450, manufacturer:Omron Healthcare,"
                        + " model:BP7450, UDIDeviceIdentifier:(01)00073796274500(21)2093AB, localIdentifier:E4:11:55>"))
                .isEqualTo(new DeviceIdentity(
                        AppleHealthAdapter.DEVICE_SYSTEM, "(01)00073796274500(21)2093AB", "Omron BP7450 (BP7450)"));
        assertThat(AppleHealthAdapter.device("garbage")).isNull();
    }

    /**
     * A million records, generated as they are read, stream through in flat memory: the heap in use
     * after the last hundred thousand is what it was after the first (an adapter that kept every record,
     * or every record's identity, would hold well over a hundred megabytes more).
     */
    @Test
    void read_aMillionRecords_streamsInFlatMemory() throws IOException {
        int records = 1_000_000;
        List<Long> heap = new ArrayList<>();
        long[] count = {0};
        FeedSink counting = new FeedSink() {
            @Override
            public void accept(Measurement measurement) {
                if (++count[0] % 100_000 == 0) {
                    heap.add(usedHeapAfterGc());
                }
            }

            @Override
            public void reject(MeasurementProblem problem) {
                throw new AssertionError(problem.toString());
            }

            @Override
            public void skip(String kind) {
                throw new AssertionError(kind);
            }
        };

        adapter.read(generatedExport(records), counting);

        assertThat(count[0]).isEqualTo(records);
        assertThat(heap).hasSize(10);
        assertThat(heap.get(9) - heap.get(0))
                .as("heap growth over 900,000 records")
                .isLessThan(24L << 20);
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** An export of {@code records} heart rates, one a second, written as it is read. */
    private static InputStream generatedExport(int records) {
        String head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HealthData locale=\"en_US\">\n"
                + " <ExportDate value=\"2024-03-06 21:14:03 +0100\"/>\n";
        OffsetDateTime start = OffsetDateTime.parse("2024-01-01T00:00:00+01:00");
        Enumeration<InputStream> parts = new Enumeration<>() {
            private int next = -1;

            @Override
            public boolean hasMoreElements() {
                return next <= records;
            }

            @Override
            public InputStream nextElement() {
                String text;
                if (next == -1) {
                    text = head;
                } else if (next == records) {
                    text = "</HealthData>\n";
                } else {
                    String at = AppleHealthTimes.export(start.plusSeconds(next));
                    text = " <Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"Anna’s Apple Watch\""
                            + " sourceVersion=\"10.3.1\" device=\"&lt;&lt;HKDevice: 0x302b1c5a0&gt;, name:Apple Watch,"
                            + " manufacturer:Apple Inc., model:Watch, hardware:Watch6,1, software:10.3.1&gt;\""
                            + " unit=\"count/min\" creationDate=\"" + at + "\" startDate=\"" + at + "\" endDate=\""
                            + at + "\" value=\"" + (55 + next % 60) + "\">\n"
                            + "  <MetadataEntry key=\"HKMetadataKeyHeartRateMotionContext\" value=\"0\"/>\n"
                            + " </Record>\n";
                }
                next++;
                return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
            }
        };
        return new SequenceInputStream(parts);
    }

    /** Export times as the Health app writes them. */
    private static final class AppleHealthTimes {
        private static final java.time.format.DateTimeFormatter FORMAT =
                java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z");

        static String export(OffsetDateTime time) {
            return FORMAT.format(time);
        }
    }

    private CollectingSink read(byte[] payload) throws IOException {
        CollectingSink sink = new CollectingSink();
        adapter.read(new ByteArrayInputStream(payload), sink);
        return sink;
    }

    static byte[] healthData(String... elements) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HealthData locale=\"en_US\">\n"
                        + String.join("\n", elements) + "\n</HealthData>\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    static String record(String type, String unit, String value, String start) {
        return "<Record type=\"" + type + "\" sourceName=\"Health\""
                + (unit == null ? "" : " unit=\"" + unit + "\"")
                + (start == null
                        ? ""
                        : " creationDate=\"" + start + "\" startDate=\"" + start + "\" endDate=\"" + start + "\"")
                + " value=\"" + value + "\"/>";
    }

    /** A zip of the entries, in the order given. */
    @SafeVarargs
    static byte[] zip(Map.Entry<String, byte[]>... entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : entries) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
