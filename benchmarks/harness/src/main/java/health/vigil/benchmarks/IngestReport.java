package health.vigil.benchmarks;

import health.vigil.benchmarks.BenchmarkReport.StartupSample;
import java.util.List;

/**
 * Everything one run of the ingestion suite measured, as written to {@code results.json} and rendered by
 * {@link IngestMarkdownReport}.
 *
 * @param generated when the run finished (ISO-8601, UTC)
 * @param environment where it ran
 * @param settings what it ran
 * @param startup the server's start on an empty PostgreSQL database
 * @param baseline the Observation POSTs, one reading per request: what the ratios divide by
 * @param batches the {@code $ingest} and MQTT workloads, in the order they ran
 * @param resends already stored batches sent to {@code $ingest} again, one run per batch size
 * @param searchable time until a single reading is searchable, by {@code $ingest} and by MQTT
 */
record IngestReport(
        String generated,
        BenchmarkReport.Environment environment,
        Settings settings,
        StartupSample startup,
        WorkloadResult baseline,
        List<WorkloadResult> batches,
        List<Resend> resends,
        List<WorkloadResult> searchable) {

    /** Observations per second the ingestion issue asks for, on the 2-core benchmark machine. */
    static final double TARGET_OBSERVATIONS_PER_SECOND = 2000;

    IngestReport {
        batches = List.copyOf(batches);
        resends = List.copyOf(resends);
        searchable = List.copyOf(searchable);
    }

    /**
     * @param patients patients the readings went to, in turn
     * @param batchSizes readings per {@code $ingest} request and per MQTT message
     * @param readingsPerRun readings per timed run of each batch workload (rounded up to whole batches)
     * @param observationPosts Observation POSTs per timed run of the baseline
     * @param searchableSamples single readings per timed run of the time-until-searchable workloads
     * @param clients concurrent HTTP clients of the baseline and {@code $ingest}
     * @param runs timed runs per workload
     * @param targetObservationsPerSecond the target
     * @param serverArguments the server's arguments besides port, data directory and database
     * @param serverJavaOptions JVM options of the server
     */
    record Settings(
            int patients,
            List<Integer> batchSizes,
            int readingsPerRun,
            int observationPosts,
            int searchableSamples,
            int clients,
            int runs,
            double targetObservationsPerSecond,
            List<String> serverArguments,
            List<String> serverJavaOptions) {

        Settings {
            batchSizes = List.copyOf(batchSizes);
            serverArguments = List.copyOf(serverArguments);
            serverJavaOptions = List.copyOf(serverJavaOptions);
        }
    }

    /**
     * @param batchSize readings per request
     * @param run the first timed run's batches, sent again
     */
    record Resend(int batchSize, RunResult run) {}
}
