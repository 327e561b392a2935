package health.vigil.benchmarks;

import health.vigil.benchmarks.BenchmarkReport.ServerResult;
import health.vigil.benchmarks.BenchmarkReport.StartupResult;
import health.vigil.benchmarks.BenchmarkReport.StartupSample;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Renders a {@link BenchmarkReport} as Markdown: the two servers of the run side by side (Vigil and
 * vanilla HAPI, or Vigil with consent and audit on and off), with ratios of the first to the second
 * computed from the numbers of the same run.
 */
final class MarkdownReport {

    private MarkdownReport() {}

    static String render(BenchmarkReport report) {
        StringBuilder out = new StringBuilder();
        ServerResult vigil =
                report.servers().isEmpty() ? null : report.servers().get(0);
        ServerResult vanilla =
                report.servers().size() < 2 ? null : report.servers().get(1);
        out.append("# ")
                .append(vigil == null ? "Vigil" : vigil.flavour().label())
                .append(" vs ")
                .append(vanilla == null ? "nothing" : vanilla.flavour().label())
                .append(": benchmark results\n\n");
        header(out, report);
        if (vigil != null && vanilla != null) {
            comparison(out, vigil, vanilla);
        }
        startup(out, report.startup(), vigil, vanilla);
        perRun(out, report.servers());
        failures(out, report.servers());
        return out.toString();
    }

    private static void header(StringBuilder out, BenchmarkReport report) {
        BenchmarkReport.Parameters parameters = report.parameters();
        generatedAndMachine(out, report.generated(), report.environment());
        out.append("- Cohort: ")
                .append(parameters.patientBundles())
                .append(" Synthea patient bundles, ")
                .append(parameters.patientResources())
                .append(" resources (plus ")
                .append(parameters.referenceResources())
                .append(" hospital and practitioner resources in batch bundles), from `")
                .append(parameters.cohort())
                .append("`\n");
        out.append("- ")
                .append(parameters.clients())
                .append(" concurrent clients unless noted; each workload has a warm-up, then ")
                .append(parameters.runs())
                .append(" timed run(s); tables show the median of the timed runs\n");
        out.append("- Servers ran one after the other, each on a fresh PostgreSQL database, in this order: ")
                .append(report.servers().stream()
                        .map(server -> server.flavour().label())
                        .collect(Collectors.joining(", ")))
                .append("; JVM options: ")
                .append(
                        parameters.serverJavaOptions().isEmpty()
                                ? "JVM defaults"
                                : "`" + String.join(" ", parameters.serverJavaOptions()) + "`")
                .append('\n');
        for (ServerResult server : report.servers()) {
            List<String> arguments = server.flavour().serverArguments();
            out.append("- ")
                    .append(server.flavour().label())
                    .append(": ")
                    .append(
                            arguments.isEmpty()
                                    ? "default settings"
                                    : "the same jar with `" + String.join(" ", arguments) + "`")
                    .append('\n');
        }
        if (report.servers().stream().anyMatch(server -> server.flavour() == Flavour.PRIVACY_ON)) {
            out.append("- Both in `smart` mode with RS256 tokens from the harness's issuer (JWKS, no introspection),")
                    .append(" as a practitioner with `user/*.cruds`; a Consent denies that practitioner another")
                    .append(" patient's data, so consent checks every resource it returns\n");
        }
        out.append('\n');
    }

    /** The first two lines of a report's header: when, from which revision, on which machine. */
    static void generatedAndMachine(StringBuilder out, String generated, BenchmarkReport.Environment environment) {
        out.append("- Generated ")
                .append(generated)
                .append(" from revision `")
                .append(environment.revision())
                .append("`\n");
        out.append("- Machine: ")
                .append(environment.processors())
                .append(" processors, ")
                .append(environment.os())
                .append(", Java ")
                .append(environment.java())
                .append(", PostgreSQL ")
                .append(environment.database())
                .append('\n');
    }

    private static void comparison(StringBuilder out, ServerResult vigil, ServerResult vanilla) {
        String a = vigil.flavour().label();
        String b = vanilla.flavour().label();
        out.append("## PostgreSQL: ").append(a).append(" vs ").append(b).append("\n\n");
        out.append("| Workload | Clients | Metric | ")
                .append(a)
                .append(" | ")
                .append(b)
                .append(" | ")
                .append(a)
                .append(" / ")
                .append(b)
                .append(" |\n");
        out.append("|---|---:|---|---:|---:|---:|\n");
        int workloads = Math.min(vigil.workloads().size(), vanilla.workloads().size());
        for (int i = 0; i < workloads; i++) {
            WorkloadResult first = vigil.workloads().get(i);
            WorkloadResult second = vanilla.workloads().get(i);
            String name = first.name() + (first.truncated() || second.truncated() ? " (a run hit the time limit)" : "");
            String clients = Integer.toString(first.clients());
            row(out, name, clients, first.unit() + "/s ↑", first, second, RunResult::throughput);
            row(out, "", "", "p50 ms ↓", first, second, RunResult::p50Millis);
            row(out, "", "", "p95 ms ↓", first, second, RunResult::p95Millis);
            row(
                    out,
                    "",
                    "",
                    "server CPU s / 1000 " + first.unit() + " ↓",
                    first,
                    second,
                    RunResult::serverCpuSecondsPer1000);
            out.append("|  |  | failed requests | ")
                    .append(first.failures())
                    .append(" | ")
                    .append(second.failures())
                    .append(" |  |\n");
        }
        startupRow(
                out,
                "Start-up on PostgreSQL, empty database",
                "s to ready ↓",
                vigil,
                vanilla,
                StartupSample::secondsToReady);
        startupRow(
                out,
                "Idle memory after start (PostgreSQL)",
                "RSS MiB ↓",
                vigil,
                vanilla,
                sample -> mib(sample.idleRssKib()));
        out.append("\n↑ higher is better, ↓ lower is better. Latencies are per request (per bundle for ingest), ")
                .append("of successful requests. Server CPU counts the server JVM only, not PostgreSQL.\n\n");
    }

    private static void row(
            StringBuilder out,
            String name,
            String clients,
            String metric,
            WorkloadResult vigil,
            WorkloadResult vanilla,
            ToDoubleFunction<RunResult> value) {
        double a = vigil.median(value);
        double b = vanilla.median(value);
        out.append("| ")
                .append(name)
                .append(" | ")
                .append(clients)
                .append(" | ")
                .append(metric)
                .append(" | ")
                .append(number(a))
                .append(" | ")
                .append(number(b))
                .append(" | ")
                .append(ratio(a, b))
                .append(" |\n");
    }

    private static void startupRow(
            StringBuilder out,
            String name,
            String metric,
            ServerResult vigil,
            ServerResult vanilla,
            ToDoubleFunction<StartupSample> value) {
        double a = value.applyAsDouble(vigil.startup());
        double b = value.applyAsDouble(vanilla.startup());
        out.append("| ")
                .append(name)
                .append(" |  | ")
                .append(metric)
                .append(" | ")
                .append(number(a))
                .append(" | ")
                .append(number(b))
                .append(" | ")
                .append(ratio(a, b))
                .append(" |\n");
    }

    private static void startup(StringBuilder out, StartupResult startup, ServerResult vigil, ServerResult vanilla) {
        out.append("## Start-up\n\n");
        if (startup == null) {
            out.append("Start-up on embedded H2 was not measured in this run (`--startup-runs=0`).\n\n");
        } else {
            List<StartupSample> fresh = startup.freshStarts();
            out.append("Vigil with default settings on the embedded H2 database (only `--vigil.server.data-directory` ")
                    .append("and `--server.port` given), from launching the JVM until ")
                    .append("`/actuator/health/readiness` answers UP; memory is the resident set size ")
                    .append("a few seconds after that.\n\n");
            out.append("| Start | Median | Runs |\n|---|---:|---|\n");
            out.append("| Empty data directory: s to ready | ")
                    .append(number(Stats.median(fresh.stream()
                            .mapToDouble(StartupSample::secondsToReady)
                            .toArray())))
                    .append(" | ")
                    .append(fresh.stream()
                            .map(sample -> number(sample.secondsToReady()))
                            .collect(Collectors.joining(", ")))
                    .append(" |\n");
            out.append("| Empty data directory: idle RSS MiB | ")
                    .append(number(Stats.median(fresh.stream()
                            .mapToDouble(sample -> mib(sample.idleRssKib()))
                            .toArray())))
                    .append(" | ")
                    .append(fresh.stream()
                            .map(sample -> number(mib(sample.idleRssKib())))
                            .collect(Collectors.joining(", ")))
                    .append(" |\n");
            if (startup.restart() != null) {
                out.append("| Existing data directory (restart): s to ready | ")
                        .append(number(startup.restart().secondsToReady()))
                        .append(" | 1 run |\n");
                out.append("| Existing data directory (restart): idle RSS MiB | ")
                        .append(number(mib(startup.restart().idleRssKib())))
                        .append(" | 1 run |\n");
            }
            out.append('\n');
        }
        for (ServerResult server : new ServerResult[] {vigil, vanilla}) {
            if (server != null) {
                out.append("On PostgreSQL (empty database, schema created at start), ")
                        .append(server.flavour().label())
                        .append(" was ready after ")
                        .append(number(server.startup().secondsToReady()))
                        .append(" s with ")
                        .append(number(mib(server.startup().idleRssKib())))
                        .append(" MiB resident (1 run).\n");
            }
        }
        out.append('\n');
    }

    private static void perRun(StringBuilder out, List<ServerResult> servers) {
        out.append("## Throughput of each run\n\n");
        out.append("Per second of wall time; resources for ingest, requests otherwise. ")
                .append(
                        "The reference data (hospitals, practitioners) is loaded once, by one client, before ingest.\n\n");
        out.append("| Workload | Clients | Server | Warm-up | Timed runs |\n|---|---:|---|---:|---|\n");
        for (ServerResult server : servers) {
            RunResult reference = server.referenceData();
            out.append("| Reference data: batch bundles | 1 | ")
                    .append(server.flavour().label())
                    .append(" | – | ")
                    .append(number(reference.throughput()))
                    .append(" |\n");
        }
        int workloads = servers.stream()
                .mapToInt(server -> server.workloads().size())
                .min()
                .orElse(0);
        for (int i = 0; i < workloads; i++) {
            for (ServerResult server : servers) {
                WorkloadResult workload = server.workloads().get(i);
                out.append("| ")
                        .append(workload.name())
                        .append(" | ")
                        .append(workload.clients())
                        .append(" | ")
                        .append(server.flavour().label())
                        .append(" | ")
                        .append(number(workload.warmup().throughput()))
                        .append(" | ")
                        .append(workload.runs().stream()
                                .map(run -> number(run.throughput()))
                                .collect(Collectors.joining(", ")))
                        .append(" |\n");
            }
        }
        out.append('\n');
    }

    private static void failures(StringBuilder out, List<ServerResult> servers) {
        StringBuilder list = new StringBuilder();
        for (ServerResult server : servers) {
            if (server.referenceData().failures() > 0) {
                list.append("- ")
                        .append(server.flavour().label())
                        .append(", reference data: ")
                        .append(server.referenceData().firstFailure())
                        .append('\n');
            }
            for (WorkloadResult workload : server.workloads()) {
                if (workload.failures() > 0) {
                    String first = workload.warmup().firstFailure();
                    for (RunResult run : workload.runs()) {
                        first = first != null ? first : run.firstFailure();
                    }
                    list.append("- ")
                            .append(server.flavour().label())
                            .append(", ")
                            .append(workload.name())
                            .append(" (")
                            .append(workload.clients())
                            .append(" clients): ")
                            .append(workload.failures())
                            .append(" failed; first: ")
                            .append(first)
                            .append('\n');
                }
            }
        }
        out.append("## Failures\n\n").append(list.isEmpty() ? "None.\n" : list);
    }

    private static double mib(long kib) {
        return kib / 1024.0;
    }

    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "–";
        }
        return String.format(
                Locale.ROOT, Math.abs(value) >= 100 ? "%.0f" : Math.abs(value) >= 10 ? "%.1f" : "%.2f", value);
    }

    static String ratio(double vigil, double vanilla) {
        if (Double.isNaN(vigil) || Double.isNaN(vanilla) || vanilla == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f", vigil / vanilla);
    }
}
