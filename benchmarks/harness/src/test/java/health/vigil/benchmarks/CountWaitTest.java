package health.vigil.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** With a fake clock that moves one second per read and no real pause. */
class CountWaitTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong();
    private final CountWait wait = new CountWait(Duration.ZERO, Duration.ofSeconds(3), now::get);

    @Test
    void await_countReachesTarget_endsAtTheReadThatShowedIt() throws Exception {
        CountWait.Result result = wait.await(counts(0, 40, 80, 100, 120), 100, 60 * SECOND);

        assertThat(result.reached()).isTrue();
        assertThat(result.count()).isEqualTo(100);
        assertThat(result.endNanos()).isEqualTo(4 * SECOND);
    }

    @Test
    void await_countStopsGrowing_endsAsStalled() throws Exception {
        CountWait.Result result = wait.await(counts(0, 50, 50, 50, 50, 50, 50, 50), 100, 60 * SECOND);

        assertThat(result.reached()).isFalse();
        assertThat(result.stalled()).isTrue();
        assertThat(result.count()).isEqualTo(50);
        assertThat(result.endNanos()).isEqualTo(5 * SECOND);
    }

    @Test
    void await_deadlinePassesWhileGrowing_endsNeitherReachedNorStalled() throws Exception {
        CountWait.Result result = wait.await(counts(0, 10, 20, 30, 40, 50), 100, 3 * SECOND);

        assertThat(result.reached()).isFalse();
        assertThat(result.stalled()).isFalse();
        assertThat(result.count()).isEqualTo(20);
    }

    /** Each read returns the next count and advances the clock by one second. */
    private CountWait.Count counts(long... values) {
        Iterator<Long> next = Arrays.stream(values).boxed().toList().iterator();
        return () -> {
            now.addAndGet(SECOND);
            return next.next();
        };
    }
}
