package health.vigil.interceptors.authorization;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthorizationSearchParamMatcher;
import health.vigil.interceptors.api.AccessContextResolver;
import health.vigil.interceptors.api.RestfulServerCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;

/**
 * SMART scope authorization, switched on by an {@link AccessContextResolver} bean (the server provides
 * one when it validates bearer tokens). Contributes three interceptors to the REST server: search
 * confinement, search narrowing and HAPI's authorization with the scopes' rules. Granular scope filters
 * need an {@link IAuthorizationSearchParamMatcher} bean (the JPA server's in-memory matcher); without one
 * a filtered scope grants nothing.
 */
@AutoConfiguration
@ConditionalOnBean(AccessContextResolver.class)
public class AuthorizationAutoConfiguration {

    @Bean
    RestfulServerCustomizer smartAuthorization(
            AccessContextResolver resolver,
            FhirContext fhirContext,
            ObjectProvider<IAuthorizationSearchParamMatcher> searchParamMatcher) {
        AuthorizationRules rules = new AuthorizationRules(fhirContext);
        SearchConfinement confinement = new SearchConfinement(fhirContext, rules);
        CallerAccess callerAccess = new CallerAccess(resolver, new ScopeParser(fhirContext));
        return server -> {
            SmartAuthorizationInterceptor authorization = new SmartAuthorizationInterceptor(callerAccess, rules);
            searchParamMatcher.ifAvailable(authorization::setAuthorizationSearchParamMatcher);
            server.registerInterceptor(new SearchConfinementInterceptor(callerAccess, confinement));
            server.registerInterceptor(new SmartSearchNarrowingInterceptor(callerAccess, confinement));
            server.registerInterceptor(authorization);
        };
    }
}
