package health.vigil.server.audit;

import ca.uhn.fhir.context.FhirContext;
import health.vigil.interceptors.api.AuditStorage;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Gives the audit module its storage, in the server's database; see {@code vigil.audit.*}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "vigil.audit", name = "enabled", havingValue = "true", matchIfMissing = true)
class AuditStorageConfiguration {

    @Bean
    AuditStorage auditStorage(DataSource dataSource, FhirContext fhirContext) {
        JdbcAuditStorage storage = new JdbcAuditStorage(dataSource, fhirContext);
        storage.createSchema();
        return storage;
    }
}
