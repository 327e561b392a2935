package health.vigil.server.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.jpa.model.sched.ISchedulerService;
import ca.uhn.fhir.jpa.model.sched.ScheduledJobDefinition;
import health.vigil.ingestion.api.PendingFeeds;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MqttRetryJobTest {

    @Test
    void schedule_isALocalJobAtTheConfiguredInterval_orAClusteredOne() {
        List<Object[]> scheduled = new ArrayList<>();
        ISchedulerService scheduler = (ISchedulerService) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ISchedulerService.class}, (proxy, method, args) -> {
                    scheduled.add(new Object[] {method.getName(), args[0], args[1]});
                    return null;
                });

        JobSchedule.local(MqttRetryJob.class, Duration.ofSeconds(30)).scheduleJobs(scheduler);
        JobSchedule.clustered(MqttRetryJob.class, Duration.ofMinutes(1)).scheduleJobs(scheduler);

        assertThat(scheduled)
                .satisfiesExactly(
                        call -> {
                            assertThat(call[0]).isEqualTo("scheduleLocalJob");
                            assertThat(call[1]).isEqualTo(30_000L);
                            assertThat(((ScheduledJobDefinition) call[2]).getJobClass())
                                    .isEqualTo(MqttRetryJob.class);
                        },
                        call -> {
                            assertThat(call[0]).isEqualTo("scheduleClusteredJob");
                            assertThat(call[1]).isEqualTo(60_000L);
                        });
    }

    @Test
    void execute_retriesOnlyWhenSomethingWaits() throws Exception {
        Pending pending = new Pending();
        MqttRetryJob job = new MqttRetryJob();
        Field field = MqttRetryJob.class.getDeclaredField("pending");
        field.setAccessible(true);
        field.set(job, pending);

        job.execute(null);
        pending.waiting = 2;
        job.execute(null);

        assertThat(pending.retries).isEqualTo(1);
    }

    private static final class Pending implements PendingFeeds {
        int waiting;
        int retries;

        @Override
        public int pending() {
            return waiting;
        }

        @Override
        public int retry() {
            retries++;
            return waiting;
        }
    }
}
