package health.vigil.server.consent;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import health.vigil.interceptors.api.ConsentStorage;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Gives the consent module its storage. Consent is enforced where callers are verified (smart mode);
 * see {@code vigil.consent.*}.
 */
@Configuration(proxyBeanMethods = false)
class ConsentStorageConfiguration {

    @Bean
    ConsentStorage consentStorage(DaoRegistry daos, MatchUrlService matchUrls, FhirContext fhirContext) {
        return new JpaConsentStorage(daos, matchUrls, fhirContext);
    }
}
