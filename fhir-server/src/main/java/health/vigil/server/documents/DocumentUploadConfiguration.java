package health.vigil.server.documents;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
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

    /** Completing a document's review Task confirms its results; on every write path. */
    @Bean
    ReviewCompletionInterceptor reviewCompletionInterceptor(DaoRegistry daos, IInterceptorService interceptors) {
        ReviewCompletionInterceptor interceptor = new ReviewCompletionInterceptor(new ReviewCompletion(daos));
        interceptors.registerInterceptor(interceptor);
        return interceptor;
    }

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
