package health.vigil.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the harness runs, from {@code --name=value} arguments. Every option but the paths has a
 * default; {@code benchmarks/run-benchmarks.sh} passes them all.
 *
 * @param serverJar the Vigil server jar (both flavours run it)
 * @param cohortDirectory Synthea's {@code fhir} output directory
 * @param outputDirectory where {@code results.md}, {@code results.json}, server logs and the H2
 *     start-up data directories go
 * @param vigilDatabaseUrl empty PostgreSQL database for the Vigil server
 * @param vanillaDatabaseUrl empty PostgreSQL database for the vanilla HAPI server
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
 * @param suite {@code baseline} (Vigil vs vanilla HAPI, the default) or {@code privacy} (Vigil with
 *     consent and audit on vs off, both in {@code smart} mode with tokens; the two database URLs are
 *     used for on and off)
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
        Suite suite) {

    /** Which comparison the harness runs. */
    enum Suite {
        /** Vigil vs vanilla HAPI, plus start-up on H2. */
        BASELINE,
        /** Vigil with consent and audit on vs off. */
        PRIVACY
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
            Map.entry("suite", "baseline"));

    private static final List<String> REQUIRED =
            List.of("server-jar", "cohort", "output", "vigil-database-url", "vanilla-database-url");

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
        for (String url : List.of(vigilDatabaseUrl, vanillaDatabaseUrl)) {
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("database URLs must be jdbc:postgresql: URLs, but one was " + url);
            }
        }
        if (vigilDatabaseUrl.equals(vanillaDatabaseUrl)) {
            throw new IllegalArgumentException("Vigil and vanilla HAPI need two different databases");
        }
        serverJavaOptions = List.copyOf(serverJavaOptions);
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
            if (!DEFAULTS.containsKey(name) && !REQUIRED.contains(name)) {
                throw new IllegalArgumentException(
                        "Unknown option --" + name + "; known: " + REQUIRED + " and " + DEFAULTS.keySet());
            }
            values.put(name, arg.substring(equals + 1));
        }
        for (String name : REQUIRED) {
            if (values.getOrDefault(name, "").isBlank()) {
                throw new IllegalArgumentException("Missing required option --" + name);
            }
        }
        String javaOptions = values.get("server-java-options").strip();
        return new HarnessOptions(
                Path.of(values.get("server-jar")),
                Path.of(values.get("cohort")),
                Path.of(values.get("output")),
                values.get("vigil-database-url"),
                values.get("vanilla-database-url"),
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
                suite(values.get("suite")));
    }

    private static Suite suite(String value) {
        try {
            return Suite.valueOf(value.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--suite must be baseline or privacy, but was '" + value + "'");
        }
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
