package health.vigil.server.ingestion;

import ca.uhn.fhir.jpa.model.sched.HapiJob;
import health.vigil.ingestion.api.PendingFeeds;
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
}
