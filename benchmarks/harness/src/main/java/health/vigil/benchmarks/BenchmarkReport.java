package health.vigil.benchmarks;

import java.util.List;

/**
 * Everything one benchmark run measured, as written to {@code results.json} and rendered by
 * {@link MarkdownReport}.
 *
 * @param generated when the run finished (ISO-8601, UTC)
 * @param environment where it ran
 * @param parameters what it ran
 * @param startup start-up on embedded H2, or null when not measured
 * @param servers the PostgreSQL measurements, one per flavour, in the order they ran
 */
record BenchmarkReport(
        String generated,
        Environment environment,
        Parameters parameters,
        StartupResult startup,
        List<ServerResult> servers) {

    BenchmarkReport {
        servers = List.copyOf(servers);
    }

    /**
     * @param revision the source revision of the server jar, as the caller gave it
     * @param processors processors the JVM sees
     * @param os operating system and kernel
     * @param java Java runtime of the harness and the servers
     * @param database database version, as the caller gave it
     */
    record Environment(String revision, int processors, String os, String java, String database) {}

    /**
     * @param patientBundles patient transaction bundles in the cohort
     * @param patientResources resources in them
     * @param referenceResources resources in the hospital and practitioner batch bundles
     * @param cohort the cohort directory
     * @param clients concurrent clients
     * @param runs timed runs per workload
     * @param serverJavaOptions JVM options of the servers
     */
    record Parameters(
            int patientBundles,
            long patientResources,
            long referenceResources,
            String cohort,
            int clients,
            int runs,
            List<String> serverJavaOptions) {}

    /**
     * Start-up of the server with default settings on an embedded H2 database.
     *
     * @param freshStarts starts with an empty data directory
     * @param restart a start on the data directory of the last fresh start
     */
    record StartupResult(List<StartupSample> freshStarts, StartupSample restart) {

        StartupResult {
            freshStarts = List.copyOf(freshStarts);
        }
    }

    /**
     * @param secondsToReady from launching the JVM until the readiness probe answers UP
     * @param idleRssKib resident memory of the server a few seconds after it was ready
     */
    record StartupSample(double secondsToReady, long idleRssKib) {}

    /**
     * One flavour's measurements on PostgreSQL.
     *
     * @param flavour which server
     * @param startup its start on an empty PostgreSQL database (schema creation included)
     * @param referenceData the single-client load of the reference-data batch bundles
     * @param workloads the measured workloads, in the order they ran
     */
    record ServerResult(
            Flavour flavour, StartupSample startup, RunResult referenceData, List<WorkloadResult> workloads) {

        ServerResult {
            workloads = List.copyOf(workloads);
        }
    }
}
