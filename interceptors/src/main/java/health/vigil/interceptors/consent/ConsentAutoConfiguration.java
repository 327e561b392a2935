package health.vigil.interceptors.consent;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import health.vigil.interceptors.api.AccessContextResolver;
import health.vigil.interceptors.api.ConsentStorage;
import health.vigil.interceptors.api.RestfulServerCustomizer;
import health.vigil.interceptors.api.SubscriptionConsent;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Consent enforcement, switched on by a {@link ConsentStorage} and an {@link AccessContextResolver}
 * bean (the server provides both when it validates bearer tokens) unless
 * {@code vigil.consent.enabled=false}. Contributes HAPI's consent interceptor (with Vigil's policy) and
 * {@code Consent/$evaluate} to the REST server, and registers the cache invalidation and the Bulk
 * export filter on the storage interceptor service.
 */
@AutoConfiguration
@ConditionalOnBean({ConsentStorage.class, AccessContextResolver.class})
@ConditionalOnProperty(prefix = "vigil.consent", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(ConsentProperties.class)
public class ConsentAutoConfiguration {

    @Bean
    ConsentService consentService(ConsentStorage storage, FhirContext fhirContext, ConsentProperties properties) {
        return new ConsentService(storage, fhirContext, properties, Clock.systemUTC());
    }

    @Bean
    SubscriptionConsent subscriptionConsent(ConsentService service) {
        return new PolicySubscriptionConsent(service);
    }

    @Bean
    RestfulServerCustomizer consentEnforcement(
            ConsentService service,
            ConsentStorage storage,
            AccessContextResolver resolver,
            ConsentProperties properties,
            IInterceptorService storageInterceptors) {
        PurposeOfUse purposeOfUse = new PurposeOfUse(properties.purposeHeader());
        storageInterceptors.registerInterceptor(new ConsentChangeInterceptor(service));
        storageInterceptors.registerInterceptor(new BulkExportConsentInterceptor(service));
        return server -> {
            PolicyConsentService consentService = new PolicyConsentService(service, resolver, purposeOfUse);
            server.registerInterceptor(new ConsentEnforcementInterceptor(consentService, service, storage));
            server.registerProvider(new ConsentEvaluateOperationProvider(service, storage, resolver));
        };
    }
}
