package health.vigil.server.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.searchparam.matcher.AuthorizationSearchParamMatcher;
import ca.uhn.fhir.jpa.searchparam.matcher.SearchParamMatcher;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthorizationSearchParamMatcher;
import health.vigil.interceptors.api.AccessContextResolver;
import health.vigil.interceptors.api.RestfulServerCustomizer;
import health.vigil.server.VigilErrors;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.introspection.SpringOpaqueTokenIntrospector;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.AntPathRequestMatcher;

/**
 * {@code vigil.security.mode=smart}: every FHIR request needs a bearer token from the configured issuer;
 * SMART scopes then decide what it may do (the interceptors module's authorization, switched on by the
 * {@link AccessContextResolver} bean here). Open to everyone: the CapabilityStatement, the SMART
 * configuration, health and metrics.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "vigil.security", name = "mode", havingValue = "smart")
class SmartSecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SmartSecurityConfiguration.class);

    @Bean
    SecurityFilterChain smartSecurityFilterChain(HttpSecurity http, JwtDecoder jwtDecoder, FhirContext fhirContext)
            throws Exception {
        OperationOutcomeResponses outcomes = new OperationOutcomeResponses(fhirContext);
        BearerTokenEntryPoint entryPoint = new BearerTokenEntryPoint(outcomes);
        http.csrf(csrf -> csrf.disable())
                .cors(Customizer.withDefaults()) // the corsConfigurationSource bean
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .authorizeHttpRequests(requests -> requests.requestMatchers(
                                AntPathRequestMatcher.antMatcher("/fhir/metadata"),
                                AntPathRequestMatcher.antMatcher("/fhir/.well-known/smart-configuration"),
                                AntPathRequestMatcher.antMatcher("/.well-known/smart-configuration"),
                                AntPathRequestMatcher.antMatcher("/actuator/health/**"),
                                AntPathRequestMatcher.antMatcher("/actuator/info"),
                                AntPathRequestMatcher.antMatcher("/actuator/prometheus"),
                                AntPathRequestMatcher.antMatcher("/apps/**"),
                                AntPathRequestMatcher.antMatcher("/error"))
                        .permitAll()
                        .anyRequest()
                        .authenticated())
                .oauth2ResourceServer(
                        oauth -> oauth.jwt(jwt -> jwt.decoder(jwtDecoder)).authenticationEntryPoint(entryPoint))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler((request, response, denied) -> outcomes.write(
                                response,
                                HttpServletResponse.SC_FORBIDDEN,
                                "forbidden",
                                VigilErrors.ACCESS_DENIED.message(denied.getMessage()))));
        return http.build();
    }

    @Bean
    JwtDecoder jwtDecoder(VigilSecurityProperties properties) {
        VigilSecurityProperties.Introspection introspection = properties.introspection();
        OAuth2TokenValidator<Jwt> revocation = introspection.enabled()
                ? new IntrospectionValidator(
                        new SpringOpaqueTokenIntrospector(
                                properties.introspectionBackchannel(),
                                new RestTemplateBuilder()
                                        .basicAuthentication(introspection.clientId(), introspection.clientSecret())
                                        .connectTimeout(Duration.ofSeconds(2))
                                        .readTimeout(Duration.ofSeconds(5))
                                        .build()),
                        introspection.cacheTtl(),
                        introspection.whenUnavailable())
                : IntrospectionValidator.disabled();
        log.info(
                "SMART security: tokens from {} for audience {}; revocation by {}",
                properties.issuer(),
                properties.fhirBaseUrl(),
                introspection.enabled()
                        ? "introspection (cached " + introspection.cacheTtl().toSeconds() + " s)"
                        : "token expiry only (introspection off)");
        return JwtDecoders.create(properties, revocation);
    }

    @Bean
    AccessContextResolver accessContextResolver() {
        return new JwtAccessContextResolver();
    }

    /** Lets HAPI test SMART granular scope filters ({@code ?category=...}) against resources in memory. */
    @Bean
    IAuthorizationSearchParamMatcher authorizationSearchParamMatcher(SearchParamMatcher searchParamMatcher) {
        return new AuthorizationSearchParamMatcher(searchParamMatcher);
    }

    @Bean
    ServletRegistrationBean<SmartConfigurationServlet> smartConfigurationServlet(VigilSecurityProperties properties) {
        ServletRegistrationBean<SmartConfigurationServlet> registration = new ServletRegistrationBean<>(
                new SmartConfigurationServlet(SmartConfiguration.of(properties)),
                "/fhir/.well-known/smart-configuration",
                "/.well-known/smart-configuration");
        registration.setName("smart-configuration");
        return registration;
    }

    @Bean
    RestfulServerCustomizer smartCapabilityStatement(VigilSecurityProperties properties) {
        return server -> server.registerInterceptor(new SmartCapabilityStatementInterceptor(properties));
    }
}
