package health.vigil.ingestion.device;

import health.vigil.ingestion.api.FeedException;
import health.vigil.ingestion.api.FeedFormat;
import health.vigil.ingestion.api.IngestionErrors;
import health.vigil.ingestion.api.Measurement;
import health.vigil.ingestion.api.MeasurementProblem;
import health.vigil.ingestion.common.Digests;
import health.vigil.terminology.api.DeviceCodeMapping;
import health.vigil.terminology.api.DeviceCodeMaps;
import health.vigil.terminology.api.DeviceVocabulary;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads an Apple Health export: the {@code export.xml} the Health app writes, or the export zip that
 * holds it ({@code apple_health_export/export.xml}). The XML is streamed with StAX, one element at a
 * time, so an export of gigabytes is read in memory bounded by one record (and the blood pressure
 * samples, see below).
 *
 * <ul>
 *   <li>{@code Record}s of the HealthKit types in the terminology's HealthKit ConceptMap become
 *       measurements; records of other types (nutrition, workouts, sleep, activity summaries) are
 *       {@linkplain FeedSink#skip skipped} and counted.
 *   <li>A blood pressure {@code Correlation} becomes one measurement with systolic and diastolic
 *       components. HealthKit also writes the correlation's two samples as top-level records; those
 *       are dropped, while systolic or diastolic records that belong to no correlation are stored as
 *       they are.
 *   <li>Values stay in the export's unit, written as UCUM ({@code count/min} is {@code /min}, {@code
 *       lb} is {@code [lb_av]}); HealthKit's {@code %} is a fraction (0.97), so it is multiplied by
 *       100. Times keep the offset the export gives them.
 *   <li>HealthKit samples have no id: a record's id is its type and start time with a digest of its
 *       type, source, creation, start and end times, the same in every export of the same data.
 *   <li>The {@code device} attribute ({@code <<HKDevice: 0x…>, name:Apple Watch, manufacturer:Apple
 *       Inc., model:Watch, hardware:Watch6,1, software:9.6>}) names a device model; only when it carries
 *       the device's own {@code localIdentifier} or {@code UDIDeviceIdentifier} is the device identified
 *       (and becomes a Device). Otherwise the Observation names it by display only.
 * </ul>
 *
 * <p>The XML parser reads no DTD and resolves no external entity: an export's own internal DTD is
 * ignored, and an entity it does not know is an error.
 */
final class AppleHealthAdapter implements FeedAdapter {

    /** Every measurement's {@code source}. */
    static final String SOURCE = "apple-health";

    /** The identifier system of devices an export identifies by {@code localIdentifier} or UDI. */
    static final String DEVICE_SYSTEM = "https://vigil.health/fhir/sid/apple-healthkit-device";

    static final String BLOOD_PRESSURE = "HKCorrelationTypeIdentifierBloodPressure";
    static final String SYSTOLIC = "HKQuantityTypeIdentifierBloodPressureSystolic";
    static final String DIASTOLIC = "HKQuantityTypeIdentifierBloodPressureDiastolic";

    private static final String EXPORT_ENTRY = "export.xml";
    private static final String TYPE_PREFIX = "HKQuantityTypeIdentifier";
    private static final DateTimeFormatter EXPORT_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss Z", Locale.ROOT);
    private static final Pattern DEVICE_FIELD = Pattern.compile(
            "(?:^|[<,]\\s*)(name|manufacturer|model|hardware|firmware|software|localIdentifier|UDIDeviceIdentifier"
                    + "|creation date):");
    /** HealthKit's molar units carry the molar mass: {@code mmol<180.15588000005408>/L}. */
    private static final Pattern MOLAR_MASS = Pattern.compile("<[0-9.]+>");

    /** Export units whose UCUM spelling the terminology's spellings do not give, by HealthKit type. */
    private static final Map<String, String> COUNT_UNITS = Map.of(
            "HKQuantityTypeIdentifierStepCount", "{steps}",
            "HKQuantityTypeIdentifierBodyMassIndex", "kg/m2");

    private final Map<String, DeviceCodeMapping> codes = new HashMap<>();
    private final long maxExportBytes;

    /**
     * @param maxExportBytes the most bytes the {@code export.xml} of an export zip may expand to
     * @throws IllegalStateException if the terminology's HealthKit ConceptMap lacks blood pressure
     */
    AppleHealthAdapter(DeviceCodeMaps deviceCodes, long maxExportBytes) {
        deviceCodes.all(DeviceVocabulary.HEALTHKIT).forEach(mapping -> codes.put(mapping.sourceCode(), mapping));
        for (String required : List.of(BLOOD_PRESSURE, SYSTOLIC, DIASTOLIC)) {
            if (!codes.containsKey(required)) {
                throw new IllegalStateException("the HealthKit ConceptMap does not map " + required);
            }
        }
        this.maxExportBytes = maxExportBytes;
    }

    @Override
    public FeedFormat format() {
        return FeedFormat.APPLE_HEALTH;
    }

    @Override
    public void read(InputStream payload, FeedSink sink) throws IOException {
        BufferedInputStream in = new BufferedInputStream(payload);
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
            readZip(in, sink);
        } else {
            readXml(in, sink);
        }
    }

    private void readZip(InputStream in, FeedSink sink) throws IOException {
        List<String> seen = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(in, StandardCharsets.UTF_8)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                String name = entry.getName();
                String file = name.substring(name.lastIndexOf('/') + 1);
                if (!entry.isDirectory() && file.equalsIgnoreCase(EXPORT_ENTRY)) {
                    readXml(new Bounded(zip, maxExportBytes, name), sink);
                    return;
                }
                if (seen.size() < 5) {
                    seen.add(name);
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw malformed("the payload is not a readable zip (" + e.getMessage() + ")", e);
        }
        throw malformed(
                "the zip holds no " + EXPORT_ENTRY
                        + (seen.isEmpty() ? " (it is empty)" : " (it starts with " + String.join(", ", seen) + ")"),
                null);
    }

    private void readXml(InputStream in, FeedSink sink) throws IOException {
        XMLStreamReader xml;
        try {
            xml = factory().createXMLStreamReader(in);
        } catch (XMLStreamException e) {
            throw malformed("the export is not well-formed XML (" + reason(e) + ")", e);
        }
        Export export = new Export(sink);
        try {
            if (nextTag(xml) != XMLStreamConstants.START_ELEMENT) {
                throw malformed("the payload is empty: an Apple Health export has a <HealthData> element", null);
            }
            if (!xml.getLocalName().equals("HealthData")) {
                throw malformed(
                        "the payload is not an Apple Health export: its root element is <" + xml.getLocalName()
                                + ">, not <HealthData>",
                        null);
            }
            while (nextTag(xml) == XMLStreamConstants.START_ELEMENT) {
                switch (xml.getLocalName()) {
                    case "Record" -> export.record(readRecord(xml));
                    case "Correlation" -> export.correlation(xml);
                    case "ExportDate", "Me" -> skipElement(xml);
                    default -> {
                        export.sink.skip(xml.getLocalName());
                        skipElement(xml);
                    }
                }
            }
            export.finish();
        } catch (XMLStreamException e) {
            String where =
                    e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNumber();
            throw malformed("the export is not well-formed XML" + where + " (" + reason(e) + ")", e);
        } finally {
            try {
                xml.close();
            } catch (XMLStreamException e) {
                // nothing more is read from it
            }
        }
    }

    /** A StAX factory that reads no DTD and no external entity: an export's internal DTD is ignored. */
    private static XMLInputFactory factory() {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
        // With no DTD there are no entities to expand but the five of XML itself; exports write &lt; and
        // &gt; in every device attribute, which would reach the JDK's total-entity limit in a large one.
        factory.setProperty("jdk.xml.totalEntitySizeLimit", "0");
        return factory;
    }

    /** One {@code Record} element, read to its end. */
    private static RawRecord readRecord(XMLStreamReader xml) throws XMLStreamException {
        RawRecord record = attributes(xml);
        skipElement(xml);
        return record;
    }

    /** The attributes of the {@code Record} or {@code Correlation} the reader is at the start of. */
    private static RawRecord attributes(XMLStreamReader xml) {
        return new RawRecord(
                attribute(xml, "type"),
                attribute(xml, "unit"),
                attribute(xml, "value"),
                attribute(xml, "sourceName"),
                attribute(xml, "device"),
                attribute(xml, "creationDate"),
                attribute(xml, "startDate"),
                attribute(xml, "endDate"),
                xml.getLocation().getLineNumber());
    }

    private static String attribute(XMLStreamReader xml, String name) {
        String value = xml.getAttributeValue(null, name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /**
     * The next start or end tag, past the DTD, comments, processing instructions and text (exports have
     * only whitespace between elements); {@code END_DOCUMENT} at the end.
     */
    private static int nextTag(XMLStreamReader xml) throws XMLStreamException {
        while (xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT || event == XMLStreamConstants.END_ELEMENT) {
                return event;
            }
        }
        return XMLStreamConstants.END_DOCUMENT;
    }

    /** Reads past the end of the element the reader is at the start of. */
    private static void skipElement(XMLStreamReader xml) throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    /** One export being read: what it has seen of blood pressure so far. */
    private final class Export {
        final FeedSink sink;
        /** Systolic and diastolic records outside correlations, kept until the end: they may be duplicates. */
        private final Map<String, RawRecord> standalone = new LinkedHashMap<>();
        /** The identities of the samples inside blood pressure correlations. */
        private final Set<String> correlated = new HashSet<>();

        Export(FeedSink sink) {
            this.sink = sink;
        }

        void record(RawRecord record) {
            if (record.type == null) {
                sink.reject(new MeasurementProblem(null, "type", "the record at line " + record.line + " has no type"));
                return;
            }
            DeviceCodeMapping mapping = codes.get(record.type);
            if (mapping == null) {
                sink.skip(record.type);
            } else if (record.type.equals(SYSTOLIC) || record.type.equals(DIASTOLIC)) {
                standalone.putIfAbsent(record.identity(), record);
            } else {
                emit(record, mapping);
            }
        }

        void correlation(XMLStreamReader xml) throws XMLStreamException {
            String type = attribute(xml, "type");
            if (!BLOOD_PRESSURE.equals(type)) {
                sink.skip(type == null ? "Correlation" : type);
                skipElement(xml);
                return;
            }
            RawRecord panel = attributes(xml);
            RawRecord systolic = null;
            RawRecord diastolic = null;
            while (nextTag(xml) == XMLStreamConstants.START_ELEMENT) {
                if (xml.getLocalName().equals("Record")) {
                    RawRecord member = readRecord(xml);
                    correlated.add(member.identity());
                    if (SYSTOLIC.equals(member.type)) {
                        systolic = member;
                    } else if (DIASTOLIC.equals(member.type)) {
                        diastolic = member;
                    }
                } else {
                    skipElement(xml);
                }
            }
            emitPanel(panel, systolic, diastolic);
        }

        /** The systolic and diastolic records no correlation holds, now that all correlations are read. */
        void finish() {
            standalone.values().stream()
                    .filter(record -> !correlated.contains(record.identity()))
                    .forEach(record -> emit(record, codes.get(record.type)));
        }

        private void emit(RawRecord record, DeviceCodeMapping mapping) {
            Problems problems = new Problems(record);
            Optional<Measurement.Quantity> quantity = quantity(record, problems);
            Optional<Period> period = period(record, problems);
            if (problems.reported) {
                return;
            }
            sink.accept(measurement(record, mapping, quantity.orElseThrow(), period.orElseThrow()));
        }

        private Measurement measurement(
                RawRecord record, DeviceCodeMapping mapping, Measurement.Value value, Period period) {
            return new Measurement(
                    mapping.loinc().code(),
                    new Measurement.SourceCode(
                            DeviceVocabulary.HEALTHKIT.system(), record.type, mapping.sourceDisplay()),
                    value,
                    period.start(),
                    period.end(),
                    device(record.device),
                    null,
                    null,
                    SOURCE,
                    record.recordId());
        }

        private void emitPanel(RawRecord panel, RawRecord systolic, RawRecord diastolic) {
            Problems problems = new Problems(panel);
            List<Measurement.Component> components = new ArrayList<>();
            for (RawRecord member : new RawRecord[] {systolic, diastolic}) {
                if (member == null) {
                    continue;
                }
                quantity(member, problems)
                        .ifPresent(value -> components.add(new Measurement.Component(
                                codes.get(member.type).loinc().code(), value.value(), value.unit())));
            }
            if (systolic == null || diastolic == null) {
                problems.add(
                        "value",
                        "the blood pressure correlation has no " + (systolic == null ? "systolic" : "diastolic")
                                + " record");
            }
            Optional<Period> period = period(panel, problems);
            if (problems.reported) {
                return;
            }
            sink.accept(measurement(
                    panel, codes.get(BLOOD_PRESSURE), new Measurement.Components(components), period.orElseThrow()));
        }

        /** The problems of one record, each reported to the sink as found. */
        private final class Problems {
            private final RawRecord record;
            boolean reported;

            Problems(RawRecord record) {
                this.record = record;
            }

            void add(String element, String message) {
                reported = true;
                sink.reject(
                        new MeasurementProblem(record.recordId(), element, message + " (line " + record.line + ")"));
            }
        }

        private Optional<Measurement.Quantity> quantity(RawRecord record, Problems problems) {
            if (record.value == null) {
                problems.add("value", record.type + " has no value");
                return Optional.empty();
            }
            BigDecimal value;
            try {
                value = new BigDecimal(record.value);
            } catch (NumberFormatException e) {
                problems.add("value", "value '" + record.value + "' is not a number");
                return Optional.empty();
            }
            if (record.unit == null) {
                problems.add("unit", record.type + " " + record.value + " has no unit");
                return Optional.empty();
            }
            if (record.unit.equals("%")) {
                // HealthKit's percent unit is a fraction of one: 0.96 is 96 %, with the digits as written.
                BigDecimal percent = value.movePointRight(2);
                return Optional.of(new Measurement.Quantity(percent.scale() < 0 ? percent.setScale(0) : percent, "%"));
            }
            if (record.unit.equals("count")) {
                String unit = COUNT_UNITS.get(record.type);
                if (unit == null) {
                    problems.add("unit", "unit 'count' of " + record.type + " has no UCUM meaning Vigil knows");
                    return Optional.empty();
                }
                return Optional.of(new Measurement.Quantity(value, unit));
            }
            return Optional.of(new Measurement.Quantity(
                    value, MOLAR_MASS.matcher(record.unit).replaceAll("")));
        }

        private Optional<Period> period(RawRecord record, Problems problems) {
            Optional<OffsetDateTime> start = time(record.startDate, "startDate", problems);
            Optional<OffsetDateTime> end = record.endDate == null ? start : time(record.endDate, "endDate", problems);
            if (start.isEmpty() || end.isEmpty()) {
                return Optional.empty();
            }
            if (end.get().isBefore(start.get())) {
                problems.add("endDate", "endDate " + record.endDate + " is before startDate " + record.startDate);
                return Optional.empty();
            }
            return Optional.of(new Period(start.get(), end.get().isEqual(start.get()) ? null : end.get()));
        }

        private Optional<OffsetDateTime> time(String written, String attribute, Problems problems) {
            if (written == null) {
                problems.add(attribute, "the record has no " + attribute);
                return Optional.empty();
            }
            try {
                return Optional.of(OffsetDateTime.parse(written, EXPORT_TIME));
            } catch (DateTimeParseException e) {
                try {
                    return Optional.of(OffsetDateTime.parse(written));
                } catch (DateTimeParseException again) {
                    problems.add(
                            attribute,
                            attribute + " '" + written
                                    + "' is not a time with a UTC offset (2024-03-05 07:12:44 +0100)");
                    return Optional.empty();
                }
            }
        }
    }

    /**
     * The device of a {@code device} attribute: identified by its local identifier or UDI when the export
     * gives one, else described by name, model and hardware; {@code null} when there is none.
     */
    static Measurement.DeviceIdentity device(String attribute) {
        if (attribute == null) {
            return null;
        }
        Map<String, String> fields = deviceFields(attribute);
        String name = fields.get("name");
        String description = describe(name, fields.get("model"), fields.get("hardware"));
        String identifier = fields.getOrDefault("UDIDeviceIdentifier", fields.get("localIdentifier"));
        if (identifier != null) {
            return new Measurement.DeviceIdentity(DEVICE_SYSTEM, identifier, description);
        }
        return description == null ? null : new Measurement.DeviceIdentity(null, null, description);
    }

    /** The {@code key:value} fields of a device attribute; a value runs to the next known key. */
    static Map<String, String> deviceFields(String attribute) {
        String text = attribute.endsWith(">") ? attribute.substring(0, attribute.length() - 1) : attribute;
        Matcher keys = DEVICE_FIELD.matcher(text);
        List<int[]> found = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (keys.find()) {
            found.add(new int[] {keys.start(), keys.end()});
            names.add(keys.group(1));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < found.size(); i++) {
            int valueEnd = i + 1 < found.size() ? found.get(i + 1)[0] : text.length();
            String value = text.substring(found.get(i)[1], valueEnd).trim();
            if (!value.isEmpty()) {
                fields.putIfAbsent(names.get(i), value);
            }
        }
        return fields;
    }

    private static String describe(String name, String model, String hardware) {
        if (name == null) {
            return null;
        }
        StringBuilder text = new StringBuilder(name);
        List<String> details = new ArrayList<>();
        if (model != null && !model.equals(name)) {
            details.add(model);
        }
        if (hardware != null) {
            details.add(hardware);
        }
        if (!details.isEmpty()) {
            text.append(" (").append(String.join(", ", details)).append(')');
        }
        return text.toString();
    }

    private static FeedException malformed(String detail, Exception cause) {
        return new FeedException(IngestionErrors.MALFORMED_PAYLOAD, detail, cause);
    }

    private static String reason(XMLStreamException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        int detail = message.indexOf("Message: ");
        return (detail >= 0 ? message.substring(detail + 9) : message).trim();
    }

    /** When a record was measured: an instant ({@code end} null) or a period. */
    private record Period(OffsetDateTime start, OffsetDateTime end) {}

    /** A {@code Record} or {@code Correlation} as the export wrote it. */
    private record RawRecord(
            String type,
            String unit,
            String value,
            String sourceName,
            String device,
            String creationDate,
            String startDate,
            String endDate,
            int line) {

        /** What makes a HealthKit sample the same sample wherever the export writes it. */
        String identity() {
            return String.join("|", type, sourceName, creationDate, startDate, endDate);
        }

        /**
         * The record's id: type and start, readable, then a digest of its identity, so two samples of one
         * type that start together stay apart.
         */
        String recordId() {
            String shortType = type.startsWith(TYPE_PREFIX) ? type.substring(TYPE_PREFIX.length()) : type;
            String start = startDate == null
                    ? "no-start"
                    : startDate.replaceFirst(" ", "T").replace(" ", "");
            return shortType + "/" + start + "/" + Digests.sha256Prefix(identity(), 6);
        }
    }

    /** The export.xml of a zip, refused once it expands beyond the limit. */
    private static final class Bounded extends FilterInputStream {
        private final long limit;
        private final String name;
        private long read;

        Bounded(InputStream in, long limit, String name) {
            super(in);
            this.limit = limit;
            this.name = name;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public void close() {
            // the zip stream is closed by its owner
        }

        private void count(int n) {
            read += n;
            if (read > limit) {
                throw new FeedException(
                        IngestionErrors.PAYLOAD_TOO_LARGE,
                        name + " expands to more than " + limit
                                + " bytes (vigil.ingestion.apple-health.max-export-size); export a shorter period");
            }
        }
    }
}
