package health.vigil.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A small, seeded Synthea cohort, generated once by running Synthea 3.3.0 in its own JVM (its runtime
 * is laid out by the {@code benchmarks/synthea} module) and cached under {@code vigil.it.data}.
 * Seed, clinician seed, reference date and end date are all fixed, so the output is the same on
 * every machine.
 */
final class SyntheaCohort {

    static final int PATIENTS = 5;
    static final long SEED = 42;
    static final String REFERENCE_DATE = "20250101";

    private SyntheaCohort() {}

    /** The directory holding the cohort's FHIR bundles, generating them on first use. */
    static synchronized Path fhirDirectory() {
        Path base = Path.of(System.getProperty("vigil.it.data", "target/it-data"))
                .resolve("synthea-p" + PATIENTS + "-s" + SEED + "-r" + REFERENCE_DATE);
        Path fhir = base.resolve("fhir");
        if (Files.isRegularFile(base.resolve(".complete"))) {
            return fhir;
        }
        generate(base);
        return fhir;
    }

    private static void generate(Path base) {
        Path lib = Path.of(System.getProperty("vigil.it.synthea.lib", "../benchmarks/synthea/target/synthea-lib"));
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException("Synthea runtime not found in " + lib.toAbsolutePath()
                    + "; build it with ./mvnw -pl benchmarks/synthea package");
        }
        try {
            deleteRecursively(base);
            Files.createDirectories(base);
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx2g",
                    "-cp",
                    lib.toAbsolutePath() + "/*",
                    "App",
                    "-p",
                    String.valueOf(PATIENTS),
                    "-a",
                    "20-60",
                    "-s",
                    String.valueOf(SEED),
                    "-cs",
                    String.valueOf(SEED),
                    "-r",
                    REFERENCE_DATE,
                    "-e",
                    REFERENCE_DATE,
                    "--exporter.baseDirectory=" + base.toAbsolutePath(),
                    "--exporter.years_of_history=5",
                    "--exporter.ccda.export=false",
                    "--exporter.csv.export=false",
                    "--exporter.fhir.export=true",
                    "--exporter.hospital.fhir.export=true",
                    "--exporter.practitioner.fhir.export=true"));
            Process process = new ProcessBuilder(command)
                    .directory(base.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(base.resolve("synthea.log").toFile())
                    .start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("Synthea did not finish within 10 minutes");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("Synthea failed (exit " + process.exitValue() + "): "
                        + Files.readString(base.resolve("synthea.log")));
            }
            Files.writeString(base.resolve(".complete"), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p :
                    walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
