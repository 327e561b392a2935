package health.vigil.server.consent;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import health.vigil.interceptors.api.SubscriptionConsent;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Puts consent in front of Subscription notifications when consent is enforced. */
@Configuration(proxyBeanMethods = false)
class SubscriptionConsentConfiguration {

    @Bean
    SubscriptionConsentRegistration subscriptionConsentRegistration(
            ObjectProvider<SubscriptionConsent> consent,
            IInterceptorService storageInterceptors,
            FhirContext fhirContext) {
        consent.ifAvailable(available ->
                storageInterceptors.registerInterceptor(new SubscriptionConsentInterceptor(available, fhirContext)));
        return new SubscriptionConsentRegistration(consent.getIfAvailable() != null);
    }

    /** Whether Subscription notifications are decided on by consent. */
    record SubscriptionConsentRegistration(boolean active) {}
}
