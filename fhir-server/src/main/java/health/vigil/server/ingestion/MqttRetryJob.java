package health.vigil.server.ingestion;

import ca.uhn.fhir.jpa.model.sched.HapiJob;
import ca.uhn.fhir.jpa.model.sched.IHasScheduledJobs;
import ca.uhn.fhir.jpa.model.sched.ISchedulerService;
import ca.uhn.fhir.jpa.model.sched.ScheduledJobDefinition;
import health.vigil.ingestion.api.PendingFeeds;
import java.time.Duration;
import org.quartz.JobExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * HAPI's scheduler (Quartz) runs this on each node: it retries the MQTT payloads this node holds
 * unacknowledged because storage was unavailable. A local job, because the payloads wait in this node's
 * memory; idempotent, because storing a payload twice changes nothing.
 */
public class MqttRetryJob implements HapiJob {

    // HAPI's job factory autowires jobs it creates; a job has no constructor to inject through.
    @Autowired
    private PendingFeeds pending;

    @Override
    public void execute(JobExecutionContext context) {
        if (pending.pending() > 0) {
            pending.retry();
        }
    }

    /** Registers the job with HAPI's scheduler at start. */
    static final class Schedule implements IHasScheduledJobs {
        private final Duration interval;

        Schedule(Duration interval) {
            this.interval = interval;
        }

        @Override
        public void scheduleJobs(ISchedulerService scheduler) {
            ScheduledJobDefinition job = new ScheduledJobDefinition();
            job.setId(MqttRetryJob.class.getName());
            job.setJobClass(MqttRetryJob.class);
            scheduler.scheduleLocalJob(interval.toMillis(), job);
        }
    }
}
