package health.vigil.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Waits until a count that the server grows in the background (Observations stored from MQTT) reaches a
 * target, polling it. Gives up when the count has not grown for a while (the rest was refused or the
 * subscriber is stuck) or at a deadline.
 */
final class CountWait {

    /** A count read from the server. */
    @FunctionalInterface
    interface Count {
        long read() throws IOException, InterruptedException;
    }

    /**
     * How the wait ended.
     *
     * @param count the last count read
     * @param reached whether it reached the target
     * @param stalled whether it stopped growing for the stall time
     * @param endNanos {@link System#nanoTime()} when the last count was read
     */
    record Result(long count, boolean reached, boolean stalled, long endNanos) {}

    private final Duration pollInterval;
    private final Duration stallTime;
    private final LongSupplier clock;

    /**
     * @param pollInterval pause between two reads
     * @param stallTime give up when the count has not grown for this long
     * @param clock nanoseconds, {@link System#nanoTime()} except in tests
     */
    CountWait(Duration pollInterval, Duration stallTime, LongSupplier clock) {
        this.pollInterval = pollInterval;
        this.stallTime = stallTime;
        this.clock = clock;
    }

    /** Reads the count until it is at least {@code target}, it stalls, or {@code deadlineNanos} passes. */
    Result await(Count count, long target, long deadlineNanos) throws IOException, InterruptedException {
        long last = -1;
        long grewAt = clock.getAsLong();
        while (true) {
            long value = count.read();
            long now = clock.getAsLong();
            if (value >= target) {
                return new Result(value, true, false, now);
            }
            if (value > last) {
                last = value;
                grewAt = now;
            } else if (now - grewAt >= stallTime.toNanos()) {
                return new Result(value, false, true, now);
            }
            if (now >= deadlineNanos) {
                return new Result(value, false, false, now);
            }
            Thread.sleep(pollInterval.toMillis());
        }
    }
}
