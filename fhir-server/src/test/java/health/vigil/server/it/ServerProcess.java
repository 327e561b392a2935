package health.vigil.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Vigil server in its own process, started from the packaged jar in {@code open} mode on loopback:
 * for the tests of what happens across processes (a crash, a restart, a second node). Its output goes
 * to {@code target/<name>.log}.
 */
final class ServerProcess implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final int port;
    private final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts a server with these settings (its database among them) and waits until it is ready. */
    static ServerProcess start(String name, Map<String, String> settings) throws Exception {
        return launch(name, settings).awaitReady();
    }

    /** Starts a server with these settings without waiting; see {@link #awaitReady()}. */
    static ServerProcess launch(String name, Map<String, String> settings) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-Xmx1g",
                "-jar",
                System.getProperty("vigil.it.server-jar"),
                "--server.address=127.0.0.1",
                "--server.port=" + port,
                "--vigil.security.mode=open"));
        settings.forEach((key, value) -> command.add("--" + key + "=" + value));
        Path log = Path.of("target", name + ".log");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new ServerProcess(process, port, log);
    }

    /** Waits up to three minutes for the readiness probe to report the server ready. */
    ServerProcess awaitReady() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            assertThat(process.isAlive())
                    .as("the server process is running; see " + log.toAbsolutePath())
                    .isTrue();
            try {
                // No Accept header: the actuator answers in its own media type.
                HttpResponse<String> ready = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the server did not become ready within 3 minutes; see " + log.toAbsolutePath());
    }

    String fhirBase() {
        return "http://127.0.0.1:" + port + "/fhir";
    }

    /** {@code kill -9}: no shutdown hook runs, nothing is flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** An orderly shutdown (SIGTERM), so the database files are closed. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
