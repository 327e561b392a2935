package health.vigil.server.ingestion;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import health.vigil.ingestion.api.DeviceIngestion;
import health.vigil.ingestion.api.IngestionProperties;
import health.vigil.interceptors.api.RestfulServerCustomizer;
import health.vigil.server.security.VigilSecurityProperties;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Serves device-feed ingestion: {@code $ingest}, and the {@link health.vigil.ingestion.api.FeedStore}
 * the MQTT subscriber stores through, unless {@code vigil.ingestion.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "vigil.ingestion", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(IngestionProperties.class)
class IngestionOperationConfiguration {

    @Bean
    IngestService ingestService(
            ObjectProvider<DeviceIngestion> ingestion,
            DaoRegistry daos,
            IFhirSystemDao<Bundle, Meta> systemDao,
            ObjectProvider<VigilSecurityProperties> security,
            Environment environment) {
        String configured = security.getIfAvailable() == null
                ? ""
                : security.getIfAvailable().fhirBaseUrl();
        String base = configured.isBlank()
                ? "http://localhost:" + environment.getProperty("server.port", "8080") + "/fhir"
                : configured;
        DeviceIngestion available = ingestion.getIfAvailable(() -> {
            throw new IllegalStateException(
                    "vigil.ingestion.enabled=true needs the shipped terminology (vigil.terminology.enabled=true)");
        });
        return new IngestService(available, daos, systemDao, base);
    }

    @Bean
    RestfulServerCustomizer ingestOperation(
            IngestService service, DaoRegistry daos, IFhirSystemDao<Bundle, Meta> systemDao) {
        return server -> server.registerProvider(new IngestOperationProvider(service, daos, systemDao.getContext()));
    }

    /** Retries MQTT payloads that met unavailable storage, on this node (they wait in its memory). */
    @Bean
    @ConditionalOnProperty(prefix = "vigil.ingestion.mqtt", name = "enabled", havingValue = "true")
    JobSchedule mqttRetrySchedule(IngestionProperties properties) {
        return JobSchedule.local(MqttRetryJob.class, properties.mqtt().retryInterval());
    }
}
