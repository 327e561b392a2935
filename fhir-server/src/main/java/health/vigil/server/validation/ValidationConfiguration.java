package health.vigil.server.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Validation on write: vital-sign Observations against the R4 vital-signs profiles. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "vigil.server.validation", name = "vital-signs", matchIfMissing = true)
class ValidationConfiguration {

    @Bean
    VitalSignsValidationInterceptor vitalSignsValidationInterceptor(
            FhirContext fhirContext, IValidationSupport validationSupport, IInterceptorService interceptorService) {
        VitalSignsValidationInterceptor interceptor = new VitalSignsValidationInterceptor(
                fhirContext, new VitalSignsValidator(fhirContext, validationSupport));
        // The storage interceptor service, not the REST server's: covers every write path.
        interceptorService.registerInterceptor(interceptor);
        return interceptor;
    }
}
