package health.vigil.benchmarks;

/**
 * The measurements of one run of a workload.
 *
 * @param operations operations attempted
 * @param failures operations that failed (HTTP error, unexpected response, I/O error)
 * @param units work done by the successful operations: resources for bundles, else operations
 * @param seconds wall time of the run, from the first request sent to the last response received
 * @param p50Millis median latency of the successful operations
 * @param p95Millis 95th percentile latency of the successful operations
 * @param p99Millis 99th percentile latency of the successful operations
 * @param maxMillis largest latency of the successful operations
 * @param serverCpuSeconds user + system CPU time the server process used during the run
 * @param stoppedByTimeLimit the run hit the time limit before all operations were sent
 * @param firstFailure the first failure's description, or null
 */
record RunResult(
        int operations,
        int failures,
        long units,
        double seconds,
        double p50Millis,
        double p95Millis,
        double p99Millis,
        double maxMillis,
        double serverCpuSeconds,
        boolean stoppedByTimeLimit,
        String firstFailure) {

    /** Units per second of wall time. */
    double throughput() {
        return units / seconds;
    }

    /** Server CPU seconds per 1000 units. */
    double serverCpuSecondsPer1000() {
        return units == 0 ? Double.NaN : serverCpuSeconds * 1000 / units;
    }
}
