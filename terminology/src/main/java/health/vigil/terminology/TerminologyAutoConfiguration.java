package health.vigil.terminology;

import ca.uhn.fhir.context.FhirContext;
import health.vigil.terminology.api.Terminology;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Contributes the shipped {@link Terminology} (parsed once with the application's FHIR context, when it
 * has one) unless {@code vigil.terminology.enabled=false}.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "vigil.terminology", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(TerminologyProperties.class)
public class TerminologyAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Terminology terminology(ObjectProvider<FhirContext> fhirContext) {
        return Terminology.load(fhirContext.getIfAvailable(FhirContext::forR4Cached));
    }
}
