package health.vigil.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import health.vigil.benchmarks.BenchmarkReport.StartupSample;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngestMarkdownReportTest {

    @Test
    void render_ratiosAgainstTheBaselineOfTheSameRun_andTheTarget() {
        IngestReport report = report(
                workload("Observation POST, one reading per request", 4, 50, 0),
                List.of(
                        workload("$ingest, 1000 readings per request", 4, 2500, 0),
                        workload("MQTT, 1000 readings per message", 1, 1000, 2)));

        String markdown = IngestMarkdownReport.render(report);

        assertThat(markdown)
                .contains("| Observation POST, one reading per request | 4 | 50.0 | 1.00 | no |")
                .contains("| $ingest, 1000 readings per request | 4 | 2500 | 50.00 | yes |")
                .contains("| MQTT, 1000 readings per message | 1 publisher | 1000 | 20.00 | no |")
                .contains("| ≥ 2000/s |");
        assertThat(markdown).contains("## Failures").contains("MQTT, 1000 readings per message: 2 failed; first: boom");
        assertThat(markdown).contains("| $ingest, 1000 readings per request | 10 | 2500 |");
        assertThat(markdown).contains("| $ingest, 1 reading | 20 | 12.0 | 30.0 |");
    }

    private static IngestReport report(WorkloadResult baseline, List<WorkloadResult> batches) {
        return new IngestReport(
                "2026-12-10T00:00:00Z",
                new BenchmarkReport.Environment("abc1234", 2, "Linux", "17", "15.20"),
                new IngestReport.Settings(
                        10,
                        List.of(1000),
                        10000,
                        100,
                        20,
                        4,
                        1,
                        2000,
                        List.of("--vigil.ingestion.mqtt.enabled=true"),
                        List.of()),
                new StartupSample(60, 1024 * 1024),
                baseline,
                batches,
                List.of(new IngestReport.Resend(1000, run(10, 10000, 4, 0))),
                List.of(new WorkloadResult(
                        "Time until searchable: $ingest, 1 reading",
                        "observations",
                        1,
                        run(10, 10, 1, 0),
                        List.of(new RunResult(20, 0, 20, 1, 12, 30, 40, 50, 1, false, null)))));
    }

    /** A workload with one timed run of the given throughput (units per second over 4 seconds). */
    private static WorkloadResult workload(String name, int clients, double throughput, int failures) {
        return new WorkloadResult(
                name, "observations", clients, run(1, throughput, 4, 0), List.of(run(10, throughput * 4, 4, failures)));
    }

    private static RunResult run(int operations, double units, double seconds, int failures) {
        return new RunResult(
                operations, failures, (long) units, seconds, 10, 20, 30, 40, 1, false, failures > 0 ? "boom" : null);
    }
}
