package health.vigil.benchmarks;

import static health.vigil.benchmarks.MarkdownReport.number;
import static health.vigil.benchmarks.MarkdownReport.ratio;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders an {@link IngestReport} as Markdown: observations per second of each way in, their ratio to
 * one Observation POST per reading measured in the same run, the target, and the time until a
 * reading is searchable.
 */
final class IngestMarkdownReport {

    private IngestMarkdownReport() {}

    static String render(IngestReport report) {
        StringBuilder out = new StringBuilder("# Ingestion: benchmark results\n\n");
        header(out, report);
        throughput(out, report);
        resends(out, report.resends());
        searchable(out, report.searchable());
        perRun(out, report);
        failures(out, report);
        return out.toString();
    }

    private static void header(StringBuilder out, IngestReport report) {
        IngestReport.Settings settings = report.settings();
        MarkdownReport.generatedAndMachine(out, report.generated(), report.environment());
        out.append("- Vigil only, default settings plus `")
                .append(String.join(" ", settings.serverArguments()))
                .append("`, on a fresh PostgreSQL database; JVM options: ")
                .append(
                        settings.serverJavaOptions().isEmpty()
                                ? "JVM defaults"
                                : "`" + String.join(" ", settings.serverJavaOptions()) + "`")
                .append('\n');
        out.append("- ")
                .append(settings.patients())
                .append(" patients; batch sizes ")
                .append(settings.batchSizes().stream().map(String::valueOf).collect(Collectors.joining(", ")))
                .append(" readings, ")
                .append(settings.readingsPerRun())
                .append(" readings per timed run of each batch workload, ")
                .append(settings.observationPosts())
                .append(" Observation POSTs per run, ")
                .append(settings.searchableSamples())
                .append(" single readings per run for time until searchable\n");
        out.append("- Each workload has a warm-up, then ")
                .append(settings.runs())
                .append(" timed run(s); tables show the median of the timed runs")
                .append("; every reading is distinct (own id, own second), 3 heart rates to 1 blood pressure\n");
        out.append("- Server ready after ")
                .append(number(report.startup().secondsToReady()))
                .append(" s (empty database, schema created at start), ")
                .append(number(report.startup().idleRssKib() / 1024.0))
                .append(" MiB resident\n\n");
    }

    private static void throughput(StringBuilder out, IngestReport report) {
        double target = report.settings().targetObservationsPerSecond();
        out.append("## Throughput\n\n");
        out.append("| Workload | Clients | observations/s ↑ | ÷ POST one by one | ≥ ")
                .append(number(target))
                .append("/s | p50 ms ↓ | p95 ms ↓ | server CPU s / 1000 observations ↓ | failed |\n");
        out.append("|---|---:|---:|---:|---|---:|---:|---:|---:|\n");
        double baseline = report.baseline().median(RunResult::throughput);
        List<WorkloadResult> rows = new ArrayList<>();
        rows.add(report.baseline());
        rows.addAll(report.batches());
        for (WorkloadResult workload : rows) {
            double throughput = workload.median(RunResult::throughput);
            boolean mqtt = workload.name().startsWith("MQTT");
            out.append("| ")
                    .append(workload.name())
                    .append(workload.truncated() ? " (a run hit the time limit)" : "")
                    .append(" | ")
                    .append(mqtt ? "1 publisher" : Integer.toString(workload.clients()))
                    .append(" | ")
                    .append(number(throughput))
                    .append(" | ")
                    .append(ratio(throughput, baseline))
                    .append(" | ")
                    .append(meets(throughput, target))
                    .append(" | ")
                    .append(number(workload.median(RunResult::p50Millis)))
                    .append(" | ")
                    .append(number(workload.median(RunResult::p95Millis)))
                    .append(" | ")
                    .append(number(workload.median(RunResult::serverCpuSecondsPer1000)))
                    .append(" | ")
                    .append(workload.failures())
                    .append(" |\n");
        }
        out.append("\nObservations/s: Observations stored per second of wall time (for `$ingest`, the count each")
                .append(" answer reports). Latencies are per request, of successful requests. MQTT: from the first")
                .append(" publish (QoS 1, one publisher) until a count of the run's patients' Observations, polled")
                .append(" every 100 ms, shows them all; the server stores one message at a time, so it has no")
                .append(" per-request latency. Server CPU counts the server JVM only (for MQTT including the count")
                .append(" polls), not PostgreSQL.\n\n");
    }

    private static String meets(double throughput, double target) {
        if (Double.isNaN(throughput)) {
            return "–";
        }
        return throughput >= target ? "yes" : "no";
    }

    private static void resends(StringBuilder out, List<IngestReport.Resend> resends) {
        out.append("## Sending stored batches again (information)\n\n");
        out.append("The first timed run's `$ingest` batches, sent again once: the same ids, so nothing changes.")
                .append(" Observations/s counts what each answer reports.\n\n");
        out.append(
                "| Batch | Requests | observations/s | p50 ms | p95 ms | server CPU s / 1000 observations | failed |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (IngestReport.Resend resend : resends) {
            RunResult run = resend.run();
            out.append("| $ingest, ")
                    .append(resend.batchSize())
                    .append(" readings per request | ")
                    .append(run.operations())
                    .append(" | ")
                    .append(number(run.throughput()))
                    .append(" | ")
                    .append(number(run.p50Millis()))
                    .append(" | ")
                    .append(number(run.p95Millis()))
                    .append(" | ")
                    .append(number(run.serverCpuSecondsPer1000()))
                    .append(" | ")
                    .append(run.failures())
                    .append(" |\n");
        }
        out.append('\n');
    }

    private static void searchable(StringBuilder out, List<WorkloadResult> searchable) {
        out.append("## Time until searchable\n\n");
        out.append("One reading at a time, one client: from sending it (`$ingest` request or QoS 1 publish) until")
                .append(" `GET Observation?subject&code&date` finds it (searched every 10 ms).\n\n");
        out.append("| Path | Samples per run | p50 ms ↓ | p95 ms ↓ | p99 ms ↓ | max ms ↓ | failed |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (WorkloadResult workload : searchable) {
            out.append("| ")
                    .append(workload.name().replace("Time until searchable: ", ""))
                    .append(" | ")
                    .append(workload.runs().get(0).operations())
                    .append(" | ")
                    .append(number(workload.median(RunResult::p50Millis)))
                    .append(" | ")
                    .append(number(workload.median(RunResult::p95Millis)))
                    .append(" | ")
                    .append(number(workload.median(RunResult::p99Millis)))
                    .append(" | ")
                    .append(number(workload.median(RunResult::maxMillis)))
                    .append(" | ")
                    .append(workload.failures())
                    .append(" |\n");
        }
        out.append('\n');
    }

    private static void perRun(StringBuilder out, IngestReport report) {
        out.append("## Throughput of each run\n\n");
        out.append("Observations per second of wall time.\n\n");
        out.append("| Workload | Warm-up | Timed runs |\n|---|---:|---|\n");
        for (WorkloadResult workload : workloads(report)) {
            if (workload.name().startsWith("Time until searchable")) {
                continue;
            }
            out.append("| ")
                    .append(workload.name())
                    .append(" | ")
                    .append(number(workload.warmup().throughput()))
                    .append(" | ")
                    .append(workload.runs().stream()
                            .map(run -> number(run.throughput()))
                            .collect(Collectors.joining(", ")))
                    .append(" |\n");
        }
        out.append('\n');
    }

    private static void failures(StringBuilder out, IngestReport report) {
        StringBuilder list = new StringBuilder();
        for (WorkloadResult workload : workloads(report)) {
            if (workload.failures() > 0) {
                list.append("- ")
                        .append(workload.name())
                        .append(": ")
                        .append(workload.failures())
                        .append(" failed; first: ")
                        .append(workload.firstFailure())
                        .append('\n');
            }
        }
        for (IngestReport.Resend resend : report.resends()) {
            if (resend.run().failures() > 0) {
                list.append("- $ingest, ")
                        .append(resend.batchSize())
                        .append(" readings per request, sent again: ")
                        .append(resend.run().failures())
                        .append(" failed; first: ")
                        .append(resend.run().firstFailure())
                        .append('\n');
            }
        }
        out.append("## Failures\n\n").append(list.isEmpty() ? "None.\n" : list);
    }

    private static List<WorkloadResult> workloads(IngestReport report) {
        List<WorkloadResult> all = new ArrayList<>();
        all.add(report.baseline());
        all.addAll(report.batches());
        all.addAll(report.searchable());
        return all;
    }
}
