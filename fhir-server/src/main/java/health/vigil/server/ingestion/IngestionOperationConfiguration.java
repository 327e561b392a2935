package health.vigil.server.ingestion;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import health.vigil.ingestion.api.DeviceIngestion;
import health.vigil.interceptors.api.RestfulServerCustomizer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Serves device-feed ingestion ({@code $ingest}) when the ingestion module contributes it (it does
 * unless {@code vigil.ingestion.enabled=false}). The bean is looked up when the server is customized,
 * after auto-configuration, so no bean condition is needed here.
 */
@Configuration(proxyBeanMethods = false)
class IngestionOperationConfiguration {

    @Bean
    RestfulServerCustomizer ingestOperation(
            ObjectProvider<DeviceIngestion> ingestion, DaoRegistry daos, IFhirSystemDao<Bundle, Meta> systemDao) {
        return server -> ingestion.ifAvailable(
                available -> server.registerProvider(new IngestOperationProvider(available, daos, systemDao)));
    }
}
