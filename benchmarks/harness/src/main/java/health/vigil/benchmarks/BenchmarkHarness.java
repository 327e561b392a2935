package health.vigil.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import health.vigil.benchmarks.BenchmarkReport.ServerResult;
import health.vigil.benchmarks.BenchmarkReport.StartupResult;
import health.vigil.benchmarks.BenchmarkReport.StartupSample;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the benchmark baseline: start-up on embedded H2, then Vigil and vanilla HAPI on PostgreSQL,
 * one after the other, each through all workloads; writes {@code results.json} and
 * {@code results.md} to the output directory. With {@code --suite=privacy}, Vigil with consent and
 * audit on and off instead; with {@code --suite=ingest}, Vigil alone through the ingestion workloads. Started by {@code benchmarks/run-benchmarks.sh},
 * which builds the jars, generates the cohort and creates the databases first.
 */
public final class BenchmarkHarness {

    private static final Logger log = LoggerFactory.getLogger(BenchmarkHarness.class);

    /** Start-up work (schedulers, caches) settles a few seconds after readiness; RSS is read then. */
    private static final Duration IDLE_SETTLE = Duration.ofSeconds(5);

    /** The device templates of the ingest suite, in the harness's resources. */
    private static final String DEVICE_TEMPLATES = "/ingest/device-templates.json";

    /** The user the privacy suite's requests come from. */
    private static final String PRACTITIONER = "Practitioner/benchmark-practitioner";

    private final HarnessOptions options;
    private final String revision;
    private final String databaseVersion;
    private final ObjectMapper json =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private BenchmarkHarness(HarnessOptions options, String revision, String databaseVersion) {
        this.options = options;
        this.revision = revision;
        this.databaseVersion = databaseVersion;
    }

    /**
     * Arguments: the {@link HarnessOptions} as {@code --name=value}; the environment variables
     * {@code BENCHMARK_REVISION} and {@code BENCHMARK_DATABASE_VERSION} only label the report.
     */
    public static void main(String[] args) throws Exception {
        HarnessOptions options;
        try {
            options = HarnessOptions.parse(args);
        } catch (IllegalArgumentException e) {
            log.error(e.getMessage());
            System.exit(2);
            return;
        }
        new BenchmarkHarness(
                        options,
                        System.getenv().getOrDefault("BENCHMARK_REVISION", "unknown"),
                        System.getenv().getOrDefault("BENCHMARK_DATABASE_VERSION", "unknown"))
                .run();
    }

    private void run() throws IOException, InterruptedException {
        Path output = options.outputDirectory();
        Files.createDirectories(output);
        if (options.suite() == HarnessOptions.Suite.INGEST) {
            runIngest(output);
            return;
        }
        Cohort cohort = Cohort.load(options.cohortDirectory(), json);
        log.info(
                "Cohort: {} patient bundles with {} resources, {} reference bundles",
                cohort.patientBundles().size(),
                cohort.patientResources(),
                cohort.referenceBundles().size());

        List<ServerResult> servers = new ArrayList<>();
        StartupResult startup = null;
        if (options.suite() == HarnessOptions.Suite.PRIVACY) {
            try (TokenIssuer issuer = TokenIssuer.start(json)) {
                servers.add(runOnPostgres(Flavour.PRIVACY_ON, options.vigilDatabaseUrl(), cohort, issuer));
                servers.add(runOnPostgres(Flavour.PRIVACY_OFF, options.vanillaDatabaseUrl(), cohort, issuer));
            }
        } else {
            startup = options.startupRuns() > 0 ? measureStartup() : null;
            servers.add(runOnPostgres(Flavour.VIGIL, options.vigilDatabaseUrl(), cohort, null));
            servers.add(runOnPostgres(Flavour.VANILLA, options.vanillaDatabaseUrl(), cohort, null));
        }

        BenchmarkReport report = new BenchmarkReport(
                Instant.now().toString(),
                environment(),
                new BenchmarkReport.Parameters(
                        cohort.patientBundles().size(),
                        cohort.patientResources(),
                        cohort.referenceBundles().stream()
                                .mapToLong(Cohort.CohortBundle::entryCount)
                                .sum(),
                        options.cohortDirectory().toString(),
                        options.clients(),
                        options.runs(),
                        options.serverJavaOptions()),
                startup,
                servers);
        json.writeValue(output.resolve("results.json").toFile(), report);
        Files.writeString(output.resolve("results.md"), MarkdownReport.render(report));
        log.info("Wrote {} and {}", output.resolve("results.md"), output.resolve("results.json"));
    }

    private BenchmarkReport.Environment environment() {
        return new BenchmarkReport.Environment(
                revision,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.version"),
                databaseVersion);
    }

    /**
     * The ingestion suite: Vigil alone on PostgreSQL with MQTT ingestion on, subscribed under a topic
     * prefix and client id of its own (so no earlier run's session or messages interfere), with the
     * harness's device templates; then {@link IngestWorkloads}. The broker's session of the server is
     * discarded afterwards.
     */
    private void runIngest(Path output) throws IOException, InterruptedException {
        String run = "vigil-bench-" + Long.toString(System.currentTimeMillis(), 36);
        String topicPrefix = run + "/ingest";
        String errorTopic = run + "/ingest-errors";
        Path templates = output.resolve("ingest-device-templates.json").toAbsolutePath();
        try (InputStream shipped = BenchmarkHarness.class.getResourceAsStream(DEVICE_TEMPLATES)) {
            if (shipped == null) {
                throw new IllegalStateException(DEVICE_TEMPLATES + " is missing from the harness jar");
            }
            Files.copy(shipped, templates, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> ingestion = List.of(
                "--vigil.ingestion.mqtt.enabled=true",
                "--vigil.ingestion.mqtt.broker-url=" + options.mqttBrokerUrl(),
                "--vigil.ingestion.mqtt.client-id=" + run,
                "--vigil.ingestion.mqtt.topic-prefix=" + topicPrefix,
                "--vigil.ingestion.mqtt.error-topic=" + errorTopic,
                "--vigil.ingestion.templates=file:" + templates,
                // A band's readings are a second apart; windowed into SampledData they would not be one
                // Observation each, as the POSTs they are compared with are.
                "--vigil.ingestion.sampled-data.enabled=false");
        List<String> arguments = new ArrayList<>(List.of(
                "--vigil.server.data-directory=" + emptyDirectory("data/ingest"),
                "--vigil.server.database.url=" + options.vigilDatabaseUrl(),
                "--vigil.server.database.username=" + options.databaseUser()));
        arguments.addAll(ingestion);
        log.info("=== Vigil with MQTT ingestion on {} ===", options.vigilDatabaseUrl());
        StartupSample startup;
        IngestWorkloads.Results results;
        // Connected first: without a broker the suite fails now, not after the server's start-up.
        try (MqttFeed mqtt = MqttFeed.connect(options.mqttBrokerUrl(), run + "-harness", errorTopic)) {
            try (ServerProcess server = ServerProcess.start(
                    options.serverJar(),
                    options.serverJavaOptions(),
                    options.port(),
                    arguments,
                    logFile("vigil-ingest-postgres"))) {
                startup = awaitIdle(server);
                FhirHttp fhir = new FhirHttp(URI.create("http://127.0.0.1:" + options.port() + "/fhir"));
                results = new IngestWorkloads(options, fhir, server, mqtt, topicPrefix, json).runAll();
            } finally {
                MqttFeed.discardSession(options.mqttBrokerUrl(), run);
            }
        }
        IngestReport report = new IngestReport(
                Instant.now().toString(),
                environment(),
                new IngestReport.Settings(
                        options.ingestPatients(),
                        options.ingestBatchSizes(),
                        options.ingestReadings(),
                        options.observationPosts(),
                        options.searchableSamples(),
                        options.clients(),
                        options.runs(),
                        IngestReport.TARGET_OBSERVATIONS_PER_SECOND,
                        ingestion,
                        options.serverJavaOptions()),
                startup,
                results.baseline(),
                results.batches(),
                results.resends(),
                results.searchable());
        json.writeValue(output.resolve("results.json").toFile(), report);
        Files.writeString(output.resolve("results.md"), IngestMarkdownReport.render(report));
        log.info("Wrote {} and {}", output.resolve("results.md"), output.resolve("results.json"));
    }

    /** Fresh starts on empty H2 data directories, then one restart on the last one's data. */
    private StartupResult measureStartup() throws IOException, InterruptedException {
        List<StartupSample> fresh = new ArrayList<>();
        Path dataDirectory = null;
        for (int run = 1; run <= options.startupRuns(); run++) {
            dataDirectory = emptyDirectory("startup/h2-" + run);
            log.info("Start-up on H2, empty data directory, run {} of {}", run, options.startupRuns());
            fresh.add(startAndStop(dataDirectory, "h2-start-" + run));
        }
        log.info("Start-up on H2, existing data directory");
        StartupSample restart = startAndStop(dataDirectory, "h2-restart");
        return new StartupResult(fresh, restart);
    }

    private StartupSample startAndStop(Path dataDirectory, String logName) throws IOException, InterruptedException {
        try (ServerProcess server = ServerProcess.start(
                options.serverJar(),
                options.serverJavaOptions(),
                options.port(),
                List.of("--vigil.server.data-directory=" + dataDirectory),
                logFile(logName))) {
            return awaitIdle(server);
        }
    }

    /** One server through all workloads; with an issuer, in {@code smart} mode with its tokens. */
    private ServerResult runOnPostgres(Flavour flavour, String databaseUrl, Cohort cohort, TokenIssuer issuer)
            throws IOException, InterruptedException {
        URI fhirBase = URI.create("http://127.0.0.1:" + options.port() + "/fhir");
        List<String> arguments = new ArrayList<>(List.of(
                "--vigil.server.data-directory="
                        + emptyDirectory("data/" + flavour.name().toLowerCase()),
                "--vigil.server.database.url=" + databaseUrl,
                "--vigil.server.database.username=" + options.databaseUser()));
        arguments.addAll(flavour.serverArguments());
        String token = null;
        if (issuer != null) {
            arguments.addAll(issuer.serverArguments(fhirBase.toString()));
            token = issuer.token(fhirBase.toString(), PRACTITIONER, "user/*.cruds", Duration.ofHours(12));
        }
        log.info("=== {} on {} ===", flavour.label(), databaseUrl);
        try (ServerProcess server = ServerProcess.start(
                options.serverJar(),
                options.serverJavaOptions(),
                options.port(),
                arguments,
                logFile(flavour.name().toLowerCase() + "-postgres"))) {
            StartupSample startup = awaitIdle(server);
            FhirHttp fhir = new FhirHttp(fhirBase, token);
            if (issuer != null) {
                restrictPractitioner(fhir);
            }
            Workloads.Results results = new Workloads(options, cohort, fhir, server, json).runAll();
            return new ServerResult(flavour, startup, results.referenceData(), results.workloads());
        }
    }

    /**
     * A patient whose Consent denies the benchmark's practitioner everything: with it, consent may hide
     * something from that practitioner, so every resource a request returns is decided on (the costly
     * case), not only requests that touch this patient.
     */
    private static void restrictPractitioner(FhirHttp fhir) throws IOException, InterruptedException {
        require(
                fhir.put(
                        PRACTITIONER,
                        "{\"resourceType\":\"Practitioner\",\"id\":\"benchmark-practitioner\",\"name\":[{\"family\":\"Bench\"}]}"));
        require(fhir.put(
                "Patient/benchmark-consented", "{\"resourceType\":\"Patient\",\"id\":\"benchmark-consented\"}"));
        require(fhir.put(
                "Consent/benchmark-consent",
                "{\"resourceType\":\"Consent\",\"id\":\"benchmark-consent\",\"status\":\"active\","
                        + "\"scope\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/consentscope\","
                        + "\"code\":\"patient-privacy\"}]},"
                        + "\"category\":[{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"59284-0\"}]}],"
                        + "\"patient\":{\"reference\":\"Patient/benchmark-consented\"},"
                        + "\"policy\":[{\"uri\":\"https://vigil.health/fhir/policy/benchmark\"}],"
                        + "\"provision\":{\"type\":\"deny\",\"actor\":[{\"role\":{\"coding\":[{\"system\":"
                        + "\"http://terminology.hl7.org/CodeSystem/v3-ParticipationType\",\"code\":\"IRCP\"}]},"
                        + "\"reference\":{\"reference\":\"" + PRACTITIONER + "\"}}]}}"));
    }

    private static void require(FhirHttp.Response response) {
        if (!response.ok()) {
            throw new IllegalStateException("Setting up the consent failed: " + response.describe());
        }
    }

    private static StartupSample awaitIdle(ServerProcess server) throws InterruptedException {
        Duration ready = server.awaitReady();
        log.info("Ready after {} s", ready.toMillis() / 1000.0);
        Thread.sleep(IDLE_SETTLE.toMillis());
        return new StartupSample(ready.toMillis() / 1000.0, server.residentKib());
    }

    private Path logFile(String name) {
        return options.outputDirectory().resolve("logs").resolve(name + ".log");
    }

    /** A directory under the output directory, emptied: servers must start from no data. */
    private Path emptyDirectory(String relative) throws IOException {
        Path directory =
                options.outputDirectory().resolve(relative).toAbsolutePath().normalize();
        if (!directory.startsWith(options.outputDirectory().toAbsolutePath().normalize())) {
            throw new IllegalArgumentException(relative + " is outside the output directory");
        }
        if (Files.exists(directory)) {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        return Files.createDirectories(directory);
    }
}
