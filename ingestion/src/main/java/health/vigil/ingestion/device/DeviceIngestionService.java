package health.vigil.ingestion.device;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.vigil.ingestion.api.DeviceIngestion;
import health.vigil.ingestion.api.FeedException;
import health.vigil.ingestion.api.FeedFormat;
import health.vigil.ingestion.api.IngestionErrors;
import health.vigil.ingestion.api.IngestionPlan;
import health.vigil.ingestion.api.IngestionRequest;
import health.vigil.ingestion.api.Measurement;
import health.vigil.ingestion.api.MeasurementProblem;
import health.vigil.ingestion.api.PatientDirectory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The device-feed pipeline: format adapter, patient resolution, mapping, transaction. See {@link
 * DeviceIngestion}.
 */
final class DeviceIngestionService implements DeviceIngestion {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> XML_TYPES = Set.of("application/xml", "text/xml");
    private static final Set<String> ZIP_TYPES =
            Set.of("application/zip", "application/x-zip-compressed", "application/octet-stream");
    private static final Set<String> HL7V2_TYPES =
            Set.of("x-application/hl7-v2+er7", "application/hl7-v2", "application/hl7-v2+er7", "application/edi-hl7");

    private final Map<FeedFormat, FeedAdapter> adapters;
    private final List<DeviceTemplate> configuredTemplates;
    private final DeviceTemplates templates;
    private final ObservationMapper mapper;
    private final int maxRecords;
    private final SampledWindows windows;

    /**
     * @param maxRecords the most records one payload may hold, stored or rejected (skipped ones are not
     *     counted: they cost nothing); a larger payload is refused whole with {@code PAYLOAD_TOO_LARGE}
     * @param windows how high-rate series become SampledData Observations; {@code null} to store every
     *     reading as its own Observation
     */
    DeviceIngestionService(
            List<FeedAdapter> adapters,
            List<DeviceTemplate> configuredTemplates,
            DeviceTemplates templates,
            ObservationMapper mapper,
            int maxRecords,
            SampledWindows windows) {
        this.adapters = new EnumMap<>(FeedFormat.class);
        adapters.forEach(adapter -> this.adapters.put(adapter.format(), adapter));
        this.configuredTemplates = List.copyOf(configuredTemplates);
        this.adapters.put(FeedFormat.TEMPLATE_JSON, new TemplateJsonAdapter(this.configuredTemplates));
        this.templates = templates;
        this.mapper = mapper;
        this.maxRecords = maxRecords;
        this.windows = windows;
    }

    @Override
    public IngestionPlan plan(IngestionRequest request, PatientDirectory patients) {
        FeedFormat format = request.format() != null ? request.format() : detect(request);
        FeedAdapter adapter = adapter(format, request);
        Planner planner = new Planner(new Resolution(request.patientId(), patients));
        try {
            adapter.read(new ByteArrayInputStream(request.payload()), planner);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Measurement> stored = planner.stored;
        List<IngestionTransaction.Item> items = windows == null ? planner.items : windows.apply(planner.items);
        List<MeasurementProblem> problems = planner.problems;
        if (items.isEmpty()) {
            return new IngestionPlan(format, stored, problems, null, 0, planner.skipped);
        }
        var transaction = IngestionTransaction.of(request.fhirBase(), request.payload(), mediaType(request), items);
        long observations = transaction.getEntry().stream()
                .filter(entry -> entry.getResource().fhirType().equals("Observation"))
                .count();
        return new IngestionPlan(format, stored, problems, transaction, (int) observations, planner.skipped);
    }

    private FeedAdapter adapter(FeedFormat format, IngestionRequest request) {
        if (format == FeedFormat.TEMPLATE_JSON && request.templates() != null) {
            List<DeviceTemplate> combined = new ArrayList<>(templates.read(
                    request.templatesOrigin() == null ? "of the request" : request.templatesOrigin(),
                    request.templates()));
            combined.addAll(configuredTemplates);
            return new TemplateJsonAdapter(combined);
        }
        FeedAdapter adapter = adapters.get(format);
        if (adapter == null) {
            throw new FeedException(
                    IngestionErrors.UNSUPPORTED_FORMAT, "the " + format.parameterName() + " format is not enabled");
        }
        return adapter;
    }

    /** The format of a payload from its content type, and for JSON from whether it is Open mHealth. */
    private FeedFormat detect(IngestionRequest request) {
        String type = mediaType(request);
        if (type.equals("application/json") || type.endsWith("+json") || type.equals("text/json")) {
            return looksLikeOpenMHealth(request.payload()) ? FeedFormat.OPEN_MHEALTH : FeedFormat.TEMPLATE_JSON;
        }
        if (XML_TYPES.contains(type) || ZIP_TYPES.contains(type)) {
            return FeedFormat.APPLE_HEALTH;
        }
        if (HL7V2_TYPES.contains(type) || (type.equals("text/plain") && startsWithMsh(request.payload()))) {
            return FeedFormat.HL7V2;
        }
        throw new FeedException(
                IngestionErrors.UNSUPPORTED_FORMAT,
                "no device-feed format reads content type '" + type + "'; send application/json (device messages, "
                        + "Open mHealth), application/xml or application/zip (Apple Health) or "
                        + "x-application/hl7-v2+er7 (HL7 v2), or name the format");
    }

    private static String mediaType(IngestionRequest request) {
        if (request.contentType() == null || request.contentType().isBlank()) {
            return "application/octet-stream";
        }
        return request.contentType().split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    /** Whether the first data point of a JSON payload has an Open mHealth header ({@code header.schema_id}). */
    private static boolean looksLikeOpenMHealth(byte[] payload) {
        try (JsonParser parser = new JsonFactory().setCodec(JSON).createParser(payload)) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_ARRAY) {
                first = parser.nextToken();
            }
            if (first != JsonToken.START_OBJECT) {
                return false;
            }
            JsonNode point = parser.readValueAsTree();
            return point.path("header").has("schema_id");
        } catch (IOException e) {
            return false; // the adapter that reads it reports what is wrong
        }
    }

    private static boolean startsWithMsh(byte[] payload) {
        int start = payload.length > 0 && payload[0] == 0x0b ? 1 : 0;
        return payload.length >= start + 3
                && payload[start] == 'M'
                && payload[start + 1] == 'S'
                && payload[start + 2] == 'H';
    }

    /** Resolves and maps each record as the adapter reads it, so problems come in feed order. */
    private final class Planner implements FeedSink {
        final List<Measurement> stored = new ArrayList<>();
        final List<IngestionTransaction.Item> items = new ArrayList<>();
        final List<MeasurementProblem> problems = new ArrayList<>();
        final Map<String, Long> skipped = new HashMap<>();
        private final Resolution resolution;
        private int records;

        Planner(Resolution resolution) {
            this.resolution = resolution;
        }

        @Override
        public void accept(Measurement measurement) {
            count();
            Measurement resolved = resolution.resolve(measurement, problems);
            if (resolved == null) {
                return;
            }
            ObservationMapper.Result result = mapper.map(resolved);
            if (result instanceof ObservationMapper.Result.Mapped mapped) {
                stored.add(resolved);
                items.add(new IngestionTransaction.Item(resolved, mapped.observation()));
            } else {
                problems.addAll(((ObservationMapper.Result.Rejected) result).problems());
            }
        }

        @Override
        public void reject(MeasurementProblem problem) {
            count();
            problems.add(problem);
        }

        @Override
        public void skip(String kind) {
            skipped.merge(kind, 1L, Long::sum);
        }

        private void count() {
            if (++records > maxRecords) {
                throw new FeedException(
                        IngestionErrors.PAYLOAD_TOO_LARGE,
                        "the payload holds more than " + maxRecords + " records (vigil.ingestion.max-records); "
                                + "send it in smaller parts: records sent again change nothing");
            }
        }
    }

    /**
     * Whose each record is: the request's patient, the patient the feed names by identifier, or the
     * patient its device is linked to; and a device belongs to one patient. Lookups are asked once per
     * distinct identifier and device.
     */
    private static final class Resolution {
        private final String requestPatient;
        private final PatientDirectory directory;
        private final Map<Measurement.PatientIdentifier, Optional<String>> byIdentifier = new HashMap<>();
        private final Map<String, Optional<String>> storedDeviceLinks = new HashMap<>();
        private final Map<String, String> batchDeviceLinks = new HashMap<>();

        Resolution(String requestPatient, PatientDirectory directory) {
            this.requestPatient = requestPatient;
            this.directory = directory;
        }

        /** The measurement with its patient, or null with the reasons added to {@code problems}. */
        Measurement resolve(Measurement measurement, List<MeasurementProblem> problems) {
            String recordId = measurement.recordId();
            Measurement.PatientIdentifier named = measurement.patientIdentifier();
            Optional<String> identified = named == null
                    ? Optional.empty()
                    : byIdentifier.computeIfAbsent(
                            named, key -> directory.patientWithIdentifier(key.system(), key.value()));
            String deviceId = ObservationMapper.identified(measurement.device())
                    ? ObservationMapper.deviceId(measurement.device())
                    : null;
            Optional<String> linked = deviceId == null
                    ? Optional.empty()
                    : storedDeviceLinks.computeIfAbsent(deviceId, directory::patientOfDevice);
            String patient;
            if (requestPatient != null) {
                if (identified.isPresent() && !identified.get().equals(requestPatient)) {
                    problems.add(new MeasurementProblem(
                            recordId,
                            "patient",
                            "the record names patient " + named.system() + "|" + named.value()
                                    + ", who is another patient than Patient/" + requestPatient));
                    return null;
                }
                patient = requestPatient;
            } else if (named != null) {
                if (identified.isEmpty()) {
                    problems.add(new MeasurementProblem(
                            recordId, "patient", "no patient has identifier " + named.system() + "|" + named.value()));
                    return null;
                }
                patient = identified.get();
            } else if (linked.isPresent()) {
                patient = linked.get();
            } else {
                problems.add(new MeasurementProblem(
                        recordId,
                        "patient",
                        "the record names no patient and its device is linked to none; ingest it as "
                                + "Patient/{id}/$ingest or link the device"));
                return null;
            }
            if (deviceId != null) {
                String owner = linked.orElseGet(() -> batchDeviceLinks.get(deviceId));
                if (owner != null && !owner.equals(patient)) {
                    problems.add(new MeasurementProblem(
                            recordId,
                            "device",
                            "device " + measurement.device().system() + "|"
                                    + measurement.device().value() + " is linked to another patient than Patient/"
                                    + patient));
                    return null;
                }
                batchDeviceLinks.putIfAbsent(deviceId, patient);
            }
            return measurement.withPatientId(patient);
        }
    }
}
