package health.vigil.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server JVM started by the harness: {@code java -jar <server jar> ...} on 127.0.0.1, with its
 * output in a log file. Knows its own PID, so it can report its CPU time and resident memory from
 * {@code /proc}, and stops only the process it started.
 */
final class ServerProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServerProcess.class);

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    /** Linux reports CPU time in /proc/PID/stat in USER_HZ ticks, which is 100 on every mainstream platform. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final Process process;
    private final long startedNanos;
    private final int port;
    private final Path logFile;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServerProcess(Process process, long startedNanos, int port, Path logFile) {
        this.process = process;
        this.startedNanos = startedNanos;
        this.port = port;
        this.logFile = logFile;
    }

    /**
     * Starts the server jar. Fails if something already listens on the port, because the readiness
     * check would otherwise talk to that process instead.
     */
    static ServerProcess start(Path jar, List<String> javaOptions, int port, List<String> arguments, Path logFile)
            throws IOException {
        if (portInUse(port)) {
            throw new IllegalStateException("Port " + port + " on 127.0.0.1 is already in use; choose another --port");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.add("--server.port=" + port);
        command.addAll(arguments);
        Files.createDirectories(logFile.getParent());
        log.info("Starting {} (log: {})", String.join(" ", command), logFile);
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .start();
        // If the harness is interrupted (Ctrl-C), its server must not outlive it.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "stop-server-" + process.pid()));
        return new ServerProcess(process, started, port, logFile);
    }

    /** Waits until {@code /actuator/health/readiness} says UP; returns the time since start. */
    Duration awaitReady() throws InterruptedException {
        URI readiness = URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness");
        HttpRequest request =
                HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5)).build();
        long deadline = startedNanos + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "Server exited with " + process.exitValue() + " before it was ready; see " + logFile);
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
                    return Duration.ofNanos(System.nanoTime() - startedNanos);
                }
            } catch (IOException notListeningYet) {
                // The port opens late in start-up; keep polling.
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
        throw new IllegalStateException("Server not ready after " + READY_TIMEOUT + "; see " + logFile);
    }

    long pid() {
        return process.pid();
    }

    /** User + system CPU seconds the server process has used so far. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
            // Fields after the command name, which is in parentheses and may contain spaces:
            // state(3) ... utime(14) stime(15).
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks / TICKS_PER_SECOND;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read CPU time of server process " + pid(), e);
        }
    }

    /** Resident set size of the server process, in KiB. */
    long residentKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            throw new IllegalStateException("No VmRSS in /proc/" + pid() + "/status");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read memory of server process " + pid(), e);
        }
    }

    /** Stops the server gracefully (SIGTERM), or forcibly when it does not exit in time. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        log.info("Stopping server (PID {})", pid());
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            log.warn("Server (PID {}) did not stop within {}; killing it", pid(), STOP_TIMEOUT);
            process.destroyForcibly();
            process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private static boolean portInUse(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException nothingListening) {
            return false;
        }
    }
}
