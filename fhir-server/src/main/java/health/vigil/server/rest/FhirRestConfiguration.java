package health.vigil.server.rest;

import ca.uhn.fhir.batch2.jobs.export.BulkDataExportProvider;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.provider.TerminologyUploaderProvider;
import ca.uhn.fhir.jpa.provider.ValueSetOperationProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.LoggingInterceptor;
import ca.uhn.fhir.rest.server.interceptor.ResponseHighlighterInterceptor;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import health.vigil.interceptors.api.RestfulServerCustomizer;
import health.vigil.server.VigilServerProperties;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The FHIR REST endpoint at {@code /fhir}: HAPI's {@link RestfulServer} with the JPA providers. */
@Configuration(proxyBeanMethods = false)
class FhirRestConfiguration {

    static final String FHIR_PATH = "/fhir";

    @Bean
    RestfulServer fhirRestfulServer(
            IFhirSystemDao<Bundle, Meta> systemDao,
            ResourceProviderFactory resourceProviders,
            JpaSystemProvider<Bundle, Meta> systemProvider,
            JpaStorageSettings storageSettings,
            ISearchParamRegistry searchParamRegistry,
            IValidationSupport validationSupport,
            DatabaseBackedPagingProvider pagingProvider,
            BulkDataExportProvider bulkDataExportProvider,
            ValueSetOperationProvider valueSetOperationProvider,
            TerminologyUploaderProvider terminologyUploaderProvider,
            ObjectProvider<BuildProperties> buildProperties,
            ObjectProvider<RestfulServerCustomizer> customizers,
            VigilServerProperties properties) {
        RestfulServer server = new RestfulServer(systemDao.getContext());
        server.setServerName("Vigil");
        buildProperties.ifAvailable(build -> server.setServerVersion(build.getVersion()));
        server.setImplementationDescription("Vigil FHIR server");
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        server.setDefaultPrettyPrint(false);

        server.registerProviders(resourceProviders.createProviders());
        server.registerProvider(systemProvider);
        server.registerProvider(bulkDataExportProvider);
        server.registerProvider(valueSetOperationProvider);
        // Loading a licensed release (LOINC, SNOMED CT, ...) or a custom code system: hapi-fhir-cli
        // upload-terminology. Authorization allows it to backend services that may write CodeSystems.
        server.registerProvider(terminologyUploaderProvider);

        JpaCapabilityStatementProvider capabilityStatement = new JpaCapabilityStatementProvider(
                server, systemDao, storageSettings, searchParamRegistry, validationSupport);
        capabilityStatement.setImplementationDescription("Vigil FHIR server");
        server.setServerConformanceProvider(capabilityStatement);

        pagingProvider.setDefaultPageSize(properties.paging().defaultPageSize());
        pagingProvider.setMaximumPageSize(properties.paging().maxPageSize());
        server.setPagingProvider(pagingProvider);

        server.registerInterceptor(new ResponseHighlighterInterceptor());
        server.registerInterceptor(requestLog());
        // Vigil's modules contribute their interceptors (authorization, ...) here.
        customizers.orderedStream().forEach(customizer -> customizer.customize(server));
        return server;
    }

    @Bean
    ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer fhirRestfulServer) {
        ServletRegistrationBean<RestfulServer> registration =
                new ServletRegistrationBean<>(fhirRestfulServer, FHIR_PATH + "/*");
        registration.setName("fhir");
        registration.setLoadOnStartup(1);
        return registration;
    }

    /**
     * One line per request, at INFO: what was done and how long it took. Never the body, the query
     * string or resource ids (they can identify a patient); those are for DEBUG-level tracing only.
     */
    private static LoggingInterceptor requestLog() {
        LoggingInterceptor log = new LoggingInterceptor();
        log.setLoggerName("vigil.request");
        log.setMessageFormat("${requestVerb} ${operationType} ${operationName} in ${processingTimeMillis} ms");
        log.setLogExceptions(true);
        log.setErrorMessageFormat("${requestVerb} ${operationType} failed: ${exceptionMessage}");
        return log;
    }
}
