package health.vigil.server.documents;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import health.vigil.ingestion.api.LabReportExtraction;
import health.vigil.interceptors.api.RestfulServerCustomizer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Serves {@code Patient/[id]/$upload-document} when lab-report extraction is on. */
@Configuration(proxyBeanMethods = false)
class DocumentUploadConfiguration {

    @Bean
    RestfulServerCustomizer uploadDocumentOperation(
            ObjectProvider<LabReportExtraction> extraction, DaoRegistry daos, IFhirSystemDao<Bundle, Meta> systemDao) {
        LabReportExtraction available = extraction.getIfAvailable();
        return server -> {
            if (available != null) {
                server.registerProvider(
                        new UploadDocumentOperationProvider(new DocumentUploadService(available, daos, systemDao)));
            }
        };
    }
}
