package health.vigil.server.storage;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.subscription.match.registry.SubscriptionRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Puts {@link SubscriptionPrefilter} in front of HAPI's Subscription matching on a node that matches. */
@Configuration(proxyBeanMethods = false)
class SubscriptionMatchingConfiguration {

    @Bean
    SubscriptionPrefilterRegistration subscriptionPrefilterRegistration(
            ObjectProvider<SubscriptionRegistry> registry, IInterceptorService interceptors, FhirContext fhirContext) {
        SubscriptionRegistry found = registry.getIfAvailable();
        if (found != null) {
            interceptors.registerInterceptor(new SubscriptionPrefilter(found::getAll, fhirContext, Clock.systemUTC()));
        }
        return new SubscriptionPrefilterRegistration(found != null);
    }

    /** Whether changes that no Subscription could match are dropped before matching. */
    record SubscriptionPrefilterRegistration(boolean active) {}
}
