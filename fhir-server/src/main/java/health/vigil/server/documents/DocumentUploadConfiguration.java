package health.vigil.server.documents;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import health.vigil.ingestion.api.IngestionProperties;
import health.vigil.ingestion.api.LabReportExtraction;
import health.vigil.interceptors.api.RestfulServerCustomizer;
import health.vigil.server.ingestion.JobSchedule;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Serves {@code Patient/[id]/$upload-document} and {@code $upload-status} when lab-report extraction is
 * on ({@code vigil.ingestion.enabled} and {@code vigil.ingestion.documents.enabled}, both by default).
 */
@Configuration(proxyBeanMethods = false)
class DocumentUploadConfiguration {

    /** Completing a document's review Task confirms its results; on every write path. */
    @Bean
    ReviewCompletionInterceptor reviewCompletionInterceptor(DaoRegistry daos, IInterceptorService interceptors) {
        ReviewCompletionInterceptor interceptor = new ReviewCompletionInterceptor(new ReviewCompletion(daos));
        interceptors.registerInterceptor(interceptor);
        return interceptor;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "vigil.ingestion", name = "enabled", havingValue = "true", matchIfMissing = true)
    @EnableConfigurationProperties(IngestionProperties.class)
    static class Ingestion {

        @Configuration(proxyBeanMethods = false)
        @ConditionalOnProperty(
                prefix = "vigil.ingestion.documents",
                name = "enabled",
                havingValue = "true",
                matchIfMissing = true)
        static class Documents {

            @Bean(destroyMethod = "close")
            DeferredReading deferredReading(
                    ObjectProvider<LabReportExtraction> extraction,
                    DaoRegistry daos,
                    IFhirSystemDao<Bundle, Meta> systemDao,
                    IngestionProperties properties) {
                LabReportExtraction available = extraction.getIfAvailable(() -> {
                    throw new IllegalStateException("vigil.ingestion.documents.enabled=true needs the shipped"
                            + " terminology (vigil.terminology.enabled=true)");
                });
                return new DeferredReading(
                        available, daos, systemDao, properties.documents().ocr().threads());
            }

            @Bean
            DocumentUploadService documentUploadService(
                    ObjectProvider<LabReportExtraction> extraction,
                    DaoRegistry daos,
                    IFhirSystemDao<Bundle, Meta> systemDao,
                    DeferredReading deferred) {
                return new DocumentUploadService(extraction.getObject(), daos, systemDao, deferred);
            }

            @Bean
            RestfulServerCustomizer uploadDocumentOperations(DocumentUploadService service) {
                return server -> {
                    server.registerProvider(new UploadDocumentOperationProvider(service));
                    server.registerProvider(new UploadStatusOperationProvider(service));
                    server.registerInterceptor(new AcceptedResponseInterceptor());
                };
            }

            /** Reads again the documents whose reading stopped; on one node at a time. */
            @Bean
            JobSchedule documentResumeSchedule(IngestionProperties properties) {
                return JobSchedule.clustered(
                        DocumentResumeJob.class, properties.documents().resumeInterval());
            }
        }
    }
}
