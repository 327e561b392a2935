package health.vigil.benchmarks;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A workload measured on one server: its warm-up run (not reported in the medians) and its timed runs.
 *
 * @param name what the workload does, as the report names it
 * @param unit what its throughput counts ({@code resources} or {@code ops})
 * @param clients concurrent clients
 * @param warmup the warm-up run
 * @param runs the timed runs
 */
record WorkloadResult(String name, String unit, int clients, RunResult warmup, List<RunResult> runs) {

    WorkloadResult {
        runs = List.copyOf(runs);
    }

    /** The median of a metric over the timed runs. */
    double median(ToDoubleFunction<RunResult> metric) {
        return Stats.median(runs.stream().mapToDouble(metric).toArray());
    }

    /** Failed operations in the warm-up and the timed runs. */
    int failures() {
        return warmup.failures() + runs.stream().mapToInt(RunResult::failures).sum();
    }

    /** The first failure of the warm-up or else of the timed runs, or null. */
    String firstFailure() {
        String first = warmup.firstFailure();
        for (RunResult run : runs) {
            first = first != null ? first : run.firstFailure();
        }
        return first;
    }

    /** Whether any run hit the time limit. */
    boolean truncated() {
        return warmup.stoppedByTimeLimit() || runs.stream().anyMatch(RunResult::stoppedByTimeLimit);
    }
}
