package health.vigil.ingestion.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import health.vigil.ingestion.api.FeedException;
import health.vigil.ingestion.api.FeedFormat;
import health.vigil.ingestion.api.IngestionErrors;
import health.vigil.ingestion.api.Measurement;
import health.vigil.ingestion.api.Measurement.Component;
import health.vigil.ingestion.api.Measurement.Components;
import health.vigil.ingestion.api.Measurement.DeviceIdentity;
import health.vigil.ingestion.api.Measurement.PatientIdentifier;
import health.vigil.ingestion.api.Measurement.Quantity;
import health.vigil.ingestion.api.Measurement.SourceCode;
import health.vigil.ingestion.api.MeasurementProblem;
import health.vigil.terminology.api.DeviceCodeMapping;
import health.vigil.terminology.api.DeviceCodeMaps;
import health.vigil.terminology.api.DeviceVocabulary;
import health.vigil.terminology.api.Terminology;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Open mHealth adapter against data points written from the schema definitions (one file per
 * case under {@code openmhealth/<schema>/<version>/shouldPass|shouldFail/}; {@code shouldFail.tsv}
 * names the problem each failing case must report).
 */
class OpenMHealthAdapterTest {

    private static final String OMH = DeviceVocabulary.OPEN_MHEALTH.system();

    /**
     * Standard Open mHealth unit spellings the terminology refuses. The adapter translates temperature's
     * {@code C} and {@code F} to UCUM; {@code K} (kelvin, valid UCUM) has no conversion to a body
     * temperature's unit yet. The mapping test below fails once the terminology accepts it.
     */
    private static final Set<String> UNITS_THE_TERMINOLOGY_REFUSES = Set.of("K");

    private static Terminology terminology;
    private static OpenMHealthAdapter adapter;
    private static ObservationMapper mapper;

    @BeforeAll
    static void load() {
        terminology = Terminology.load();
        adapter = new OpenMHealthAdapter(terminology.deviceCodes());
        mapper = new ObservationMapper(terminology);
    }

    @Test
    void constructor_conceptMapWithoutASupportedSchema_failsAtStart() {
        DeviceCodeMaps withoutStepCount = new DeviceCodeMaps() {
            @Override
            public Optional<DeviceCodeMapping> toLoinc(DeviceVocabulary vocabulary, String code) {
                return code.equals("omh:step-count")
                        ? Optional.empty()
                        : terminology.deviceCodes().toLoinc(vocabulary, code);
            }

            @Override
            public List<DeviceCodeMapping> all(DeviceVocabulary vocabulary) {
                return terminology.deviceCodes().all(vocabulary);
            }
        };

        assertThatThrownBy(() -> new OpenMHealthAdapter(withoutStepCount))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("omh:step-count");
    }

    @Test
    void format_isOpenMHealth() {
        assertThat(adapter.format()).isEqualTo(FeedFormat.OPEN_MHEALTH);
    }

    @Test
    void read_heartRateOverAMinute_everyField() {
        CollectingSink sink = read(fixture("heart-rate/2.0/shouldPass/interval-with-offset.json"));

        assertThat(sink.problems).isEmpty();
        assertThat(sink.measurements).singleElement().satisfies(measurement -> {
            assertThat(measurement.code()).isEqualTo("8867-4");
            assertThat(measurement.sourceCode()).isEqualTo(new SourceCode(OMH, "omh:heart-rate", "Heart rate"));
            assertThat(measurement.value()).isInstanceOf(Quantity.class);
            Quantity value = (Quantity) measurement.value();
            assertThat(value.value()).isEqualByComparingTo("58.5");
            assertThat(value.unit()).isEqualTo("beats/min");
            assertThat(measurement.start()).isEqualTo(OffsetDateTime.parse("2026-11-30T07:15:00+02:00"));
            assertThat(measurement.start().getOffset().getId()).isEqualTo("+02:00");
            assertThat(measurement.end()).isEqualTo(OffsetDateTime.parse("2026-11-30T07:16:00+02:00"));
            assertThat(measurement.end().getOffset().getId()).isEqualTo("+02:00");
            assertThat(measurement.device())
                    .isEqualTo(new DeviceIdentity(OpenMHealthAdapter.SOURCE_SYSTEM, "withings-bpm-0042", "Withings"));
            assertThat(measurement.patientId()).isNull();
            assertThat(measurement.patientIdentifier())
                    .isEqualTo(new PatientIdentifier(OpenMHealthAdapter.USER_SYSTEM, "omh-user-17"));
            assertThat(measurement.source()).isEqualTo("open-mhealth");
            assertThat(measurement.recordId()).isEqualTo("1e0939da-5236-51ae-ab26-d124f0702321");
        });
    }

    @Test
    void read_bloodPressureEndAndDuration_componentsAndStartWithTheEndsOffset() {
        CollectingSink sink = read(fixture("blood-pressure/2.0/shouldPass/end-and-duration.json"));

        assertThat(sink.problems).isEmpty();
        Measurement measurement = sink.measurements.get(0);
        assertThat(measurement.code()).isEqualTo("85354-9");
        assertThat(measurement.sourceCode().code()).isEqualTo("omh:blood-pressure");
        assertThat(((Components) measurement.value()).components())
                .extracting(Component::code, component -> component.value().toPlainString(), Component::unit)
                .containsExactly(tuple("8480-6", "132", "mmHg"), tuple("8462-4", "84", "mmHg"));
        assertThat(measurement.start().toString()).isEqualTo("2026-11-30T07:15-05:00");
        assertThat(measurement.end().toString()).isEqualTo("2026-11-30T07:16:30-05:00");
        assertThat(measurement.recordId()).isEqualTo("532f3bee-b3b2-5406-8f7a-3dbea290e46a");
    }

    @Test
    void read_version1Header_idIsTheRecordId_sourceNameAloneOnlyNamesTheDevice() {
        CollectingSink sink = read(fixture("heart-rate/1.0/shouldPass/instant-utc.json"));

        Measurement measurement = sink.measurements.get(0);
        assertThat(measurement.recordId()).isEqualTo("476db348-7707-5bfe-98c3-4415e168ca75");
        assertThat(measurement.start().toString()).isEqualTo("2026-11-30T05:15Z");
        assertThat(measurement.end()).isNull();
        // "Omron HEM-7600T" names a product many patients own, not one device: no identifier, so no Device.
        assertThat(measurement.device()).isEqualTo(new DeviceIdentity(null, null, "Omron HEM-7600T"));
        assertThat(ObservationMapper.identified(measurement.device())).isFalse();
    }

    @Test
    void read_stepCountVersion2_bareNumberInSteps_overTheInterval() {
        CollectingSink sink = read(fixture("step-count/2.0/shouldPass/start-and-duration.json"));

        Measurement measurement = sink.measurements.get(0);
        assertThat(measurement.code()).isEqualTo("55423-8");
        assertThat(measurement.value()).isEqualTo(new Quantity(new BigDecimal("1200"), "steps"));
        assertThat(measurement.start().toString()).isEqualTo("2026-11-30T07:00+02:00");
        assertThat(measurement.end().toString()).isEqualTo("2026-11-30T08:00+02:00");
    }

    @Test
    void read_numbersAsWritten() {
        CollectingSink sink = read(fixture("body-weight/1.0/shouldPass/kilograms.json"));

        assertThat(((Quantity) sink.measurements.get(0).value()).value().toPlainString())
                .isEqualTo("72.35");
    }

    @Test
    void read_withoutUser_noPatientIdentifier_withoutProvenance_noDevice() {
        String point =
                """
                {"header": {"uuid": "r-1", "schema_id": {"namespace": "omh", "name": "heart-rate", "version": "2.0"}},
                 "body": {"heart_rate": {"value": 70, "unit": "beats/min"},
                          "effective_time_frame": {"date_time": "2026-11-30T07:15:00+02:00"}}}
                """;

        Measurement measurement = read(point).measurements.get(0);

        assertThat(measurement.patientIdentifier()).isNull();
        assertThat(measurement.device()).isNull();
        assertThat(measurement.recordId()).isEqualTo("r-1");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shouldPass")
    void read_shouldPass_oneMeasurement_thatTheMapperStores(String name, Path file) {
        CollectingSink sink = read(file);

        assertThat(sink.problems).isEmpty();
        assertThat(sink.measurements).singleElement().satisfies(measurement -> {
            assertThat(measurement.source()).isEqualTo("open-mhealth");
            assertThat(measurement.recordId()).isNotBlank();
            assertThat(measurement.sourceCode().system()).isEqualTo(OMH);
            ObservationMapper.Result mapped = mapper.map(measurement.withPatientId("p1"));
            if (measurement.value() instanceof Quantity quantity
                    && UNITS_THE_TERMINOLOGY_REFUSES.contains(quantity.unit())) {
                assertThat(mapped).isInstanceOf(ObservationMapper.Result.Rejected.class);
                assertThat(((ObservationMapper.Result.Rejected) mapped).problems())
                        .singleElement()
                        .satisfies(problem -> assertThat(problem.message()).contains("unit '" + quantity.unit()));
            } else {
                assertThat(mapped).as("mapped %s", name).isInstanceOf(ObservationMapper.Result.Mapped.class);
            }
        });
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("shouldFail")
    void read_shouldFail_rejectedWithTheProblem(String name, Path file, String element, String message)
            throws IOException {
        CollectingSink sink = read(file);

        assertThat(sink.measurements).isEmpty();
        assertThat(sink.problems).singleElement().satisfies(problem -> {
            assertThat(problem.element()).isEqualTo(element);
            assertThat(problem.message()).contains(message);
            assertThat(problem.recordId()).isEqualTo(headerId(Files.readString(file)));
        });
    }

    @Test
    void read_array_oneCallPerRecord_inOrder() throws IOException {
        String array = "[" + Files.readString(fixture("heart-rate/2.0/shouldPass/interval-with-offset.json")) + ","
                + Files.readString(fixture("heart-rate/2.0/shouldFail/unit-not-in-enum.json")) + ", 42, null,"
                + Files.readString(fixture("blood-glucose/2.0/shouldPass/substance-concentration.json")) + "]";

        CollectingSink sink = read(array);

        assertThat(sink.measurements).extracting(Measurement::code).containsExactly("8867-4", "2339-0");
        assertThat(sink.problems)
                .extracting(MeasurementProblem::element)
                .containsExactly("body.heart_rate.unit", "", "");
        assertThat(sink.problems.subList(1, 3)).allSatisfy(problem -> assertThat(problem.message())
                .contains("must be an object with a header and a body"));
    }

    @Test
    void read_emptyArray_nothing() {
        CollectingSink sink = read("[]");

        assertThat(sink.measurements).isEmpty();
        assertThat(sink.problems).isEmpty();
    }

    @Test
    void read_streams_recordsBeforeABrokenTailAreAlreadyPassedOn() throws IOException {
        String truncated = "[" + Files.readString(fixture("heart-rate/2.0/shouldPass/interval-with-offset.json"))
                + ", {\"header\":";
        CollectingSink sink = new CollectingSink();

        assertThatThrownBy(() -> adapter.read(stream(truncated), sink))
                .isInstanceOf(FeedException.class)
                .hasMessageStartingWith("VGL-1201: the payload is not valid JSON");
        assertThat(sink.measurements).hasSize(1);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("malformed")
    void read_notDataPoints_malformedPayload(String payload, String message) {
        assertThatThrownBy(() -> adapter.read(stream(payload), new CollectingSink()))
                .isInstanceOfSatisfying(
                        FeedException.class, e -> assertThat(e.error()).isEqualTo(IngestionErrors.MALFORMED_PAYLOAD))
                .hasMessageStartingWith("VGL-1201: ")
                .hasMessageContaining(message);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("", "the payload is empty"),
                Arguments.of("heart_rate=72", "not valid JSON"),
                Arguments.of("\"a data point\"", "neither an Open mHealth data point nor an array"),
                Arguments.of("72", "neither an Open mHealth data point nor an array"),
                Arguments.of("{\"header\": {}, \"body\": {", "not valid JSON"),
                Arguments.of("[] []", "there is more after"));
    }

    static Stream<Arguments> shouldPass() {
        return fixtures("shouldPass").map(file -> Arguments.of(relative(file), file));
    }

    static Stream<Arguments> shouldFail() throws IOException {
        List<String[]> expected = Files.readAllLines(root().resolve("shouldFail.tsv")).stream()
                .filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.split("\t"))
                .toList();
        Set<String> listed = expected.stream().map(row -> row[0]).collect(Collectors.toSet());
        assertThat(fixtures("shouldFail").map(OpenMHealthAdapterTest::relative))
                .as("every shouldFail fixture has its expected problem in shouldFail.tsv")
                .allMatch(listed::contains);
        return expected.stream().map(row -> Arguments.of(row[0], root().resolve(row[0]), row[1], row[2]));
    }

    private static Stream<Path> fixtures(String kind) {
        try (Stream<Path> files = Files.walk(root())) {
            List<Path> found = files.filter(
                            file -> file.getParent().getFileName().toString().equals(kind))
                    .filter(file -> file.toString().endsWith(".json"))
                    .sorted()
                    .toList();
            assertThat(found).as(kind + " fixtures").isNotEmpty();
            return found.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path root() {
        try {
            return Path.of(
                    OpenMHealthAdapterTest.class.getResource("/openmhealth").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path fixture(String name) {
        return root().resolve(name);
    }

    private static String relative(Path file) {
        return root().relativize(file).toString().replace('\\', '/');
    }

    /** The fixture's header uuid or id, as the problem must name it; null where it has none. */
    private static String headerId(String json) {
        java.util.regex.Matcher id =
                java.util.regex.Pattern.compile("\"(?:uuid|id)\": \"([^\"]+)\"").matcher(json);
        return id.find() ? id.group(1) : null;
    }

    private static CollectingSink read(Path file) {
        try {
            return read(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CollectingSink read(String payload) {
        CollectingSink sink = new CollectingSink();
        try {
            adapter.read(stream(payload), sink);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sink;
    }

    private static InputStream stream(String payload) {
        return new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8));
    }
}
