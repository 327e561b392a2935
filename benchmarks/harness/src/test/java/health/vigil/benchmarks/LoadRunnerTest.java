package health.vigil.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import health.vigil.benchmarks.LoadRunner.Outcome;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Counts only: timing is what the harness reports, never what a test asserts. */
class LoadRunnerTest {

    @Test
    void run_someOperationsFail_countsEachOperationOnceAndUnitsOfSuccessesOnly() throws InterruptedException {
        Set<Integer> executed = ConcurrentHashMap.newKeySet();
        LoadRunner runner = new LoadRunner(3, Duration.ofMinutes(1), () -> 0.0);

        RunResult result = runner.run(100, index -> {
            executed.add(index);
            return index % 10 == 0 ? Outcome.failed("failure " + index) : Outcome.ok(2);
        });

        assertThat(executed).hasSize(100);
        assertThat(result.operations()).isEqualTo(100);
        assertThat(result.failures()).isEqualTo(10);
        assertThat(result.units()).isEqualTo(180);
        assertThat(result.firstFailure()).startsWith("failure ");
        assertThat(result.stoppedByTimeLimit()).isFalse();
    }

    @Test
    void run_fewerOperationsThanClients_runsEachOnce() throws InterruptedException {
        LoadRunner runner = new LoadRunner(4, Duration.ofMinutes(1), () -> 0.0);

        RunResult result = runner.run(2, index -> Outcome.ok(1));

        assertThat(result.operations()).isEqualTo(2);
        assertThat(result.units()).isEqualTo(2);
    }
}
