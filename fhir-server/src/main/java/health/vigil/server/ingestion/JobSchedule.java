package health.vigil.server.ingestion;

import ca.uhn.fhir.jpa.model.sched.HapiJob;
import ca.uhn.fhir.jpa.model.sched.IHasScheduledJobs;
import ca.uhn.fhir.jpa.model.sched.ISchedulerService;
import ca.uhn.fhir.jpa.model.sched.ScheduledJobDefinition;
import java.time.Duration;

/**
 * Registers one job with HAPI's scheduler at start: a local job runs on every node (what it works on
 * waits in that node's memory), a clustered job on one node at a time (what it works on is in the
 * database).
 */
public final class JobSchedule implements IHasScheduledJobs {

    private final Class<? extends HapiJob> job;
    private final Duration interval;
    private final boolean clustered;

    private JobSchedule(Class<? extends HapiJob> job, Duration interval, boolean clustered) {
        this.job = job;
        this.interval = interval;
        this.clustered = clustered;
    }

    public static JobSchedule local(Class<? extends HapiJob> job, Duration interval) {
        return new JobSchedule(job, interval, false);
    }

    public static JobSchedule clustered(Class<? extends HapiJob> job, Duration interval) {
        return new JobSchedule(job, interval, true);
    }

    @Override
    public void scheduleJobs(ISchedulerService scheduler) {
        ScheduledJobDefinition definition = new ScheduledJobDefinition();
        definition.setId(job.getName());
        definition.setJobClass(job);
        if (clustered) {
            scheduler.scheduleClusteredJob(interval.toMillis(), definition);
        } else {
            scheduler.scheduleLocalJob(interval.toMillis(), definition);
        }
    }
}
