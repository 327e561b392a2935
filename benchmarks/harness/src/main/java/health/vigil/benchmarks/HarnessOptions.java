package health.vigil.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the harness runs, from {@code --name=value} arguments. Every option but the paths has a
 * default; {@code benchmarks/run-benchmarks.sh} passes them all.
 *
 * @param serverJar the Vigil server jar (both flavours run it)
 * @param cohortDirectory Synthea's {@code fhir} output directory; not used (null) by the ingest suite
 * @param outputDirectory where {@code results.md}, {@code results.json}, server logs and the H2
 *     start-up data directories go
 * @param vigilDatabaseUrl empty PostgreSQL database for the Vigil server
 * @param vanillaDatabaseUrl empty PostgreSQL database for the vanilla HAPI server; not used (null) by the
 *     ingest suite, which runs Vigil only, on {@code vigilDatabaseUrl}
 * @param databaseUser PostgreSQL user for both (default {@code postgres})
 * @param port HTTP port the servers listen on, one at a time (default 18080)
 * @param serverJavaOptions JVM options for the servers, space separated (default none: the JVM's
 *     own defaults, the same for both flavours)
 * @param clients concurrent clients for the multi-client workloads (default 4)
 * @param runs timed runs per workload; the report shows their median (default 3)
 * @param ingestWarmupPercent share of the patient bundles ingested as warm-up (at least one per
 *     client) before the timed ingest runs; the remaining bundles are split evenly over the timed
 *     runs (default 10)
 * @param observationPosts single-Observation POSTs per timed run (default 1000)
 * @param reads reads by id per timed run (default 3000)
 * @param singleClientReads reads by id per timed single-client run (default 500)
 * @param searches {@code Observation?patient&code&date} searches per timed run (default 1000)
 * @param startupRuns start-ups from an empty H2 data directory; 0 skips the start-up measurement
 *     (default 3)
 * @param maxRunTime a timed or warm-up run stops after this long even if operations remain; the
 *     report flags it (default 180 s)
 * @param seed seed for the order of reads and searches (default 42)
 * @param suite {@code baseline} (Vigil vs vanilla HAPI, the default), {@code privacy} (Vigil with
 *     consent and audit on vs off, both in {@code smart} mode with tokens; the two database URLs are
 *     used for on and off) or {@code ingest} (device readings: one Observation POST per reading vs
 *     {@code $ingest} batches vs MQTT; Vigil only)
 * @param ingestPatients ingest suite: patients created before the workloads; the readings go to them
 *     in turn (default 100)
 * @param ingestBatchSizes ingest suite: readings per {@code $ingest} request and per MQTT message, one
 *     workload per size (default 100 and 1000)
 * @param ingestReadings ingest suite: readings per timed run of each batch workload, rounded up to whole
 *     batches; a multiple of the clients times the largest batch size keeps every client busy to the end
 *     of a run (default 8000)
 * @param searchableSamples ingest suite: single readings per timed run of the time-until-searchable
 *     workloads (default 200)
 * @param mqttBrokerUrl ingest suite: the MQTT broker both the server and the harness connect to
 *     (default {@code tcp://127.0.0.1:1883})
 */
record HarnessOptions(
        Path serverJar,
        Path cohortDirectory,
        Path outputDirectory,
        String vigilDatabaseUrl,
        String vanillaDatabaseUrl,
        String databaseUser,
        int port,
        List<String> serverJavaOptions,
        int clients,
        int runs,
        int ingestWarmupPercent,
        int observationPosts,
        int reads,
        int singleClientReads,
        int searches,
        int startupRuns,
        Duration maxRunTime,
        long seed,
        Suite suite,
        int ingestPatients,
        List<Integer> ingestBatchSizes,
        int ingestReadings,
        int searchableSamples,
        String mqttBrokerUrl) {

    /** Which comparison the harness runs. */
    enum Suite {
        /** Vigil vs vanilla HAPI, plus start-up on H2. */
        BASELINE,
        /** Vigil with consent and audit on vs off. */
        PRIVACY,
        /** Vigil only: device readings as single Observation POSTs, {@code $ingest} batches and MQTT. */
        INGEST
    }

    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("database-user", "postgres"),
            Map.entry("port", "18080"),
            Map.entry("server-java-options", ""),
            Map.entry("clients", "4"),
            Map.entry("runs", "3"),
            Map.entry("ingest-warmup-percent", "10"),
            Map.entry("observation-posts", "1000"),
            Map.entry("reads", "3000"),
            Map.entry("single-client-reads", "500"),
            Map.entry("searches", "1000"),
            Map.entry("startup-runs", "3"),
            Map.entry("max-run-seconds", "180"),
            Map.entry("seed", "42"),
            Map.entry("suite", "baseline"),
            Map.entry("ingest-patients", "100"),
            Map.entry("ingest-batch-sizes", "100,1000"),
            Map.entry("ingest-readings", "8000"),
            Map.entry("searchable-samples", "200"),
            Map.entry("mqtt-broker-url", "tcp://127.0.0.1:1883"));

    private static final List<String> REQUIRED = List.of("server-jar", "output", "vigil-database-url");

    /** Required by the suites that compare two servers on a Synthea cohort, not by the ingest suite. */
    private static final List<String> REQUIRED_TO_COMPARE = List.of("cohort", "vanilla-database-url");

    HarnessOptions {
        requireAtLeast("clients", clients, 1);
        requireAtLeast("runs", runs, 1);
        requireAtLeast("ingest-warmup-percent", ingestWarmupPercent, 0);
        if (ingestWarmupPercent > 90) {
            throw new IllegalArgumentException(
                    "--ingest-warmup-percent must be at most 90, but was " + ingestWarmupPercent);
        }
        requireAtLeast("observation-posts", observationPosts, 1);
        requireAtLeast("reads", reads, 1);
        requireAtLeast("single-client-reads", singleClientReads, 1);
        requireAtLeast("searches", searches, 1);
        requireAtLeast("startup-runs", startupRuns, 0);
        if (maxRunTime.isNegative() || maxRunTime.isZero()) {
            throw new IllegalArgumentException("--max-run-seconds must be positive, but was " + maxRunTime);
        }
        if (port < 1024 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 1024 and 65535, but was " + port);
        }
        for (String url : Arrays.asList(vigilDatabaseUrl, vanillaDatabaseUrl)) {
            if (url != null && !url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("database URLs must be jdbc:postgresql: URLs, but one was " + url);
            }
        }
        if (vigilDatabaseUrl.equals(vanillaDatabaseUrl)) {
            throw new IllegalArgumentException("Vigil and vanilla HAPI need two different databases");
        }
        requireAtLeast("ingest-patients", ingestPatients, 1);
        if (ingestBatchSizes.isEmpty()) {
            throw new IllegalArgumentException("--ingest-batch-sizes needs at least one size");
        }
        for (int size : ingestBatchSizes) {
            requireAtLeast("ingest-batch-sizes", size, 1);
        }
        requireAtLeast("ingest-readings", ingestReadings, 1);
        requireAtLeast("searchable-samples", searchableSamples, 1);
        if (!mqttBrokerUrl.startsWith("tcp://") && !mqttBrokerUrl.startsWith("ssl://")) {
            throw new IllegalArgumentException(
                    "--mqtt-broker-url must be a tcp:// or ssl:// URL, but was " + mqttBrokerUrl);
        }
        serverJavaOptions = List.copyOf(serverJavaOptions);
        ingestBatchSizes = List.copyOf(ingestBatchSizes);
    }

    /** Parses {@code --name=value} arguments; unknown names and missing required ones are errors. */
    static HarnessOptions parse(String... args) {
        Map<String, String> values = new HashMap<>(DEFAULTS);
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (!arg.startsWith("--") || equals < 0) {
                throw new IllegalArgumentException("Arguments look like --name=value, but got '" + arg + "'");
            }
            String name = arg.substring(2, equals);
            if (!DEFAULTS.containsKey(name) && !REQUIRED.contains(name) && !REQUIRED_TO_COMPARE.contains(name)) {
                throw new IllegalArgumentException("Unknown option --" + name + "; known: " + REQUIRED + ", "
                        + REQUIRED_TO_COMPARE + " and " + DEFAULTS.keySet());
            }
            values.put(name, arg.substring(equals + 1));
        }
        Suite suite = suite(values.get("suite"));
        List<String> required = new ArrayList<>(REQUIRED);
        if (suite != Suite.INGEST) {
            required.addAll(REQUIRED_TO_COMPARE);
        }
        for (String name : required) {
            if (values.getOrDefault(name, "").isBlank()) {
                throw new IllegalArgumentException("Missing required option --" + name);
            }
        }
        String javaOptions = values.get("server-java-options").strip();
        return new HarnessOptions(
                Path.of(values.get("server-jar")),
                optional(values, "cohort").map(Path::of).orElse(null),
                Path.of(values.get("output")),
                values.get("vigil-database-url"),
                optional(values, "vanilla-database-url").orElse(null),
                values.get("database-user"),
                integer(values, "port"),
                javaOptions.isEmpty() ? List.of() : Arrays.asList(javaOptions.split("\\s+")),
                integer(values, "clients"),
                integer(values, "runs"),
                integer(values, "ingest-warmup-percent"),
                integer(values, "observation-posts"),
                integer(values, "reads"),
                integer(values, "single-client-reads"),
                integer(values, "searches"),
                integer(values, "startup-runs"),
                Duration.ofSeconds(integer(values, "max-run-seconds")),
                Long.parseLong(values.get("seed")),
                suite,
                integer(values, "ingest-patients"),
                integers(values, "ingest-batch-sizes"),
                integer(values, "ingest-readings"),
                integer(values, "searchable-samples"),
                values.get("mqtt-broker-url"));
    }

    private static Suite suite(String value) {
        try {
            return Suite.valueOf(value.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--suite must be baseline, privacy or ingest, but was '" + value + "'");
        }
    }

    private static Optional<String> optional(Map<String, String> values, String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** A comma-separated list of integers ({@code 100,1000}). */
    private static List<Integer> integers(Map<String, String> values, String name) {
        List<Integer> parsed = new ArrayList<>();
        for (String item : values.get(name).split(",")) {
            try {
                parsed.add(Integer.parseInt(item.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "--" + name + " must be integers separated by commas, but was '" + values.get(name) + "'");
            }
        }
        return parsed;
    }

    private static int integer(Map<String, String> values, String name) {
        try {
            return Integer.parseInt(values.get(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be an integer, but was '" + values.get(name) + "'");
        }
    }

    private static void requireAtLeast(String name, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException("--" + name + " must be at least " + minimum + ", but was " + value);
        }
    }
}
