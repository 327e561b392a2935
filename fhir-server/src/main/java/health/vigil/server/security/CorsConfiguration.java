package health.vigil.server.security;

import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Cross-origin access for browser-based SMART apps: the FHIR API, the SMART configuration, health. Tokens
 * travel in the {@code Authorization} header, never in cookies, so no credentials are allowed.
 */
@Configuration(proxyBeanMethods = false)
class CorsConfiguration {

    @Bean
    CorsConfigurationSource corsConfigurationSource(VigilSecurityProperties properties) {
        org.springframework.web.cors.CorsConfiguration cors = new org.springframework.web.cors.CorsConfiguration();
        cors.setAllowedOriginPatterns(properties.cors().allowedOrigins());
        cors.setAllowedMethods(List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
        cors.setAllowedHeaders(List.of(
                "Authorization",
                "Content-Type",
                "Accept",
                "Prefer",
                "If-Match",
                "If-None-Match",
                "If-None-Exist",
                "If-Modified-Since",
                "X-Request-ID"));
        cors.setExposedHeaders(List.of(
                "Location",
                "Content-Location",
                "ETag",
                "Last-Modified",
                "X-Request-ID",
                "WWW-Authenticate",
                "X-Progress"));
        cors.setAllowCredentials(false);
        cors.setMaxAge(properties.cors().maxAge());
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        // Every path: under HAPI's servlet the path CORS matches on is the one within /fhir, and a preflight
        // that matches no configuration is refused.
        source.registerCorsConfiguration("/**", cors);
        return source;
    }
}
