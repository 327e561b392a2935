package health.vigil.server.rest;

import ca.uhn.fhir.context.FhirContext;
import health.vigil.server.VigilServerProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Limits on what one request to {@code /fhir} may carry. */
@Configuration(proxyBeanMethods = false)
class RequestLimitsConfiguration {

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(
            FhirContext fhirContext, VigilServerProperties properties) {
        RequestSizeLimitFilter filter = new RequestSizeLimitFilter(
                fhirContext, properties.limits().maxRequestSize().toBytes());
        FilterRegistrationBean<RequestSizeLimitFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns(FhirRestConfiguration.FHIR_PATH + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
