package health.vigil.server.documents;

import ca.uhn.fhir.jpa.model.sched.HapiJob;
import health.vigil.ingestion.api.IngestionProperties;
import java.time.Instant;
import org.quartz.JobExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * HAPI's scheduler (Quartz) runs this on one node at a time: documents accepted to be read later whose
 * reading stopped (their node stopped, or storage failed) are read again. A clustered job, because
 * what waits is in the database; safe to run twice, because a document read twice is stored once.
 */
public class DocumentResumeJob implements HapiJob {

    // HAPI's job factory autowires jobs it creates; a job has no constructor to inject through.
    @Autowired
    private DeferredReading reading;

    @Autowired
    private IngestionProperties properties;

    @Override
    public void execute(JobExecutionContext context) {
        reading.resume(Instant.now().minus(properties.documents().resumeAfter()));
    }
}
