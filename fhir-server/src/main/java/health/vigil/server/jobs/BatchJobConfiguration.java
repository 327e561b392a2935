package health.vigil.server.jobs;

import ca.uhn.fhir.batch2.api.IJobMaintenanceService;
import ca.uhn.fhir.batch2.maintenance.JobMaintenanceServiceImpl;
import health.vigil.server.VigilServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * HAPI's batch jobs (bulk export, reindex, ...) advance one step per maintenance pass. HAPI runs the
 * pass once a minute, so even a tiny {@code $export} took three to four minutes; Vigil runs it every
 * {@code vigil.server.jobs.maintenance-interval} (default 10 s). The pass is a clustered job: one node
 * runs it at a time, and a pass with nothing to do costs a few small queries.
 */
@Configuration(proxyBeanMethods = false)
class BatchJobConfiguration {

    /** The interval is read when HAPI schedules its jobs, on context refresh, so it is set before. */
    @Bean
    JobMaintenanceInterval jobMaintenanceInterval(
            IJobMaintenanceService maintenance, VigilServerProperties properties) {
        long millis = properties.jobs().maintenanceInterval().toMillis();
        if (maintenance instanceof JobMaintenanceServiceImpl impl) {
            impl.setScheduledJobFrequencyMillis(millis);
        }
        return new JobMaintenanceInterval(millis);
    }

    /** The batch-job maintenance interval in force, in milliseconds. */
    record JobMaintenanceInterval(long millis) {}
}
