package health.vigil.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a fixed number of operations with a fixed number of concurrent clients (closed loop: each
 * client sends its next request when the previous one has answered) and measures the run: wall
 * time, latency percentiles of the successful operations, failures, and the server's CPU time.
 */
final class LoadRunner {

    private static final Logger log = LoggerFactory.getLogger(LoadRunner.class);
    private static final int FAILURES_LOGGED_PER_RUN = 3;

    /** One request (or a few) of a workload. */
    @FunctionalInterface
    interface Operation {
        /** Performs operation number {@code index} of the run. */
        Outcome execute(int index) throws IOException, InterruptedException;
    }

    /**
     * What one operation did.
     *
     * @param units work done when it succeeded: resources for bundles, 1 for single requests
     * @param failure why it failed, or null when it succeeded
     */
    record Outcome(int units, String failure) {

        static Outcome ok(int units) {
            return new Outcome(units, null);
        }

        static Outcome failed(String failure) {
            return new Outcome(0, failure);
        }

        boolean succeeded() {
            return failure == null;
        }
    }

    private final int clients;
    private final Duration maxRunTime;
    private final DoubleSupplier serverCpuSeconds;

    /**
     * @param clients concurrent clients
     * @param maxRunTime a run stops starting operations after this long
     * @param serverCpuSeconds the server's CPU seconds so far, read before and after each run
     */
    LoadRunner(int clients, Duration maxRunTime, DoubleSupplier serverCpuSeconds) {
        this.clients = clients;
        this.maxRunTime = maxRunTime;
        this.serverCpuSeconds = serverCpuSeconds;
    }

    /** Runs operations {@code 0..operations-1}, spread over the clients, and measures them. */
    RunResult run(int operations, Operation operation) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failuresLogged = new AtomicInteger();
        List<Client> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        double cpuBefore = serverCpuSeconds.getAsDouble();
        long start = System.nanoTime();
        long deadline = start + maxRunTime.toNanos();
        for (int i = 0; i < Math.min(clients, operations); i++) {
            Client client = new Client(operation, operations, next, deadline, failuresLogged);
            workers.add(client);
            Thread thread = new Thread(client, "client-" + i);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long elapsed = System.nanoTime() - start;
        double cpu = serverCpuSeconds.getAsDouble() - cpuBefore;

        Histogram latencies = new Histogram(3);
        int attempted = 0;
        int failed = 0;
        long units = 0;
        String firstFailure = null;
        for (Client client : workers) {
            if (client.interrupted) {
                throw new InterruptedException("A client was interrupted");
            }
            latencies.add(client.latencies);
            attempted += client.attempted;
            failed += client.failed;
            units += client.units;
            if (firstFailure == null) {
                firstFailure = client.firstFailure;
            }
        }
        return new RunResult(
                attempted,
                failed,
                units,
                elapsed / 1e9,
                millis(latencies, 50),
                millis(latencies, 95),
                millis(latencies, 99),
                latencies.getTotalCount() == 0 ? Double.NaN : latencies.getMaxValue() / 1000.0,
                cpu,
                attempted < operations,
                firstFailure);
    }

    private static double millis(Histogram latencies, double percentile) {
        return latencies.getTotalCount() == 0 ? Double.NaN : latencies.getValueAtPercentile(percentile) / 1000.0;
    }

    /** One client: takes the next operation number until none are left or time is up. */
    private static final class Client implements Runnable {

        private final Operation operation;
        private final int operations;
        private final AtomicInteger next;
        private final long deadline;
        private final AtomicInteger failuresLogged;
        /** Latencies of successful operations, in microseconds. */
        private final Histogram latencies = new Histogram(3);

        private int attempted;
        private int failed;
        private long units;
        private String firstFailure;
        private boolean interrupted;

        Client(Operation operation, int operations, AtomicInteger next, long deadline, AtomicInteger failuresLogged) {
            this.operation = operation;
            this.operations = operations;
            this.next = next;
            this.deadline = deadline;
            this.failuresLogged = failuresLogged;
        }

        @Override
        public void run() {
            while (System.nanoTime() < deadline) {
                int index = next.getAndIncrement();
                if (index >= operations) {
                    return;
                }
                attempted++;
                long begin = System.nanoTime();
                Outcome outcome;
                try {
                    outcome = operation.execute(index);
                } catch (IOException e) {
                    outcome = Outcome.failed(e.toString());
                } catch (InterruptedException e) {
                    interrupted = true;
                    Thread.currentThread().interrupt();
                    return;
                }
                long micros = (System.nanoTime() - begin) / 1000;
                if (outcome.succeeded()) {
                    latencies.recordValue(micros);
                    units += outcome.units();
                } else {
                    failed++;
                    if (firstFailure == null) {
                        firstFailure = outcome.failure();
                    }
                    if (failuresLogged.incrementAndGet() <= FAILURES_LOGGED_PER_RUN) {
                        log.warn("Operation {} failed: {}", index, outcome.failure());
                    }
                }
            }
        }
    }
}
