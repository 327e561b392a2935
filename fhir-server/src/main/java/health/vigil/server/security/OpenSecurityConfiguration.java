package health.vigil.server.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * {@code vigil.security.mode=open}: no authentication, for local development. Only ever on a loopback
 * address ({@link SecuritySettings} refuses anything else before the server starts).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "vigil.security", name = "mode", havingValue = "open")
class OpenSecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(OpenSecurityConfiguration.class);

    @Bean
    SecurityFilterChain openSecurityFilterChain(HttpSecurity http, Environment environment) throws Exception {
        log.warn(
                "vigil.security.mode=open: the FHIR API has NO authentication. Listening on {} only; for anything"
                        + " but local development set vigil.security.mode=smart (docs/security.md).",
                environment.getProperty("server.address"));
        return http.csrf(csrf -> csrf.disable())
                .cors(Customizer.withDefaults()) // the corsConfigurationSource bean
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .build();
    }
}
