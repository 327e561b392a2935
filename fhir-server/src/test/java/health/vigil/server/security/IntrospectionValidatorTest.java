package health.vigil.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import health.vigil.server.security.VigilSecurityProperties.Introspection.WhenUnavailable;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.DefaultOAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

class IntrospectionValidatorTest {

    private final AtomicInteger calls = new AtomicInteger();

    @Test
    void validate_activeToken_acceptedAndCached() {
        IntrospectionValidator validator =
                new IntrospectionValidator(answering(true), Duration.ofMinutes(1), WhenUnavailable.ACCEPT);

        assertThat(validator.validate(jwt("a")).hasErrors()).isFalse();
        assertThat(validator.validate(jwt("a")).hasErrors()).isFalse();
        assertThat(calls).hasValue(1);
    }

    @Test
    void validate_revokedToken_refused() {
        IntrospectionValidator validator =
                new IntrospectionValidator(answering(false), Duration.ZERO, WhenUnavailable.ACCEPT);

        assertThat(validator.validate(jwt("a")).getErrors())
                .singleElement()
                .satisfies(error -> assertThat(error.getDescription()).contains("no longer active"));
    }

    @Test
    void validate_issuerUnreachable_decidedByWhenUnavailable() {
        OpaqueTokenIntrospector down = token -> {
            throw new OAuth2IntrospectionException("connection refused");
        };

        assertThat(new IntrospectionValidator(down, Duration.ZERO, WhenUnavailable.ACCEPT)
                        .validate(jwt("a"))
                        .hasErrors())
                .isFalse();
        assertThat(new IntrospectionValidator(down, Duration.ZERO, WhenUnavailable.REJECT)
                        .validate(jwt("a"))
                        .hasErrors())
                .isTrue();
    }

    @Test
    void validate_zeroCacheTtl_asksEveryTime() {
        IntrospectionValidator validator =
                new IntrospectionValidator(answering(true), Duration.ZERO, WhenUnavailable.ACCEPT);

        validator.validate(jwt("a"));
        validator.validate(jwt("a"));

        assertThat(calls).hasValue(2);
    }

    private OpaqueTokenIntrospector answering(boolean active) {
        return token -> {
            calls.incrementAndGet();
            if (!active) {
                throw new BadOpaqueTokenException("inactive");
            }
            return new DefaultOAuth2AuthenticatedPrincipal(Map.of("active", true), java.util.List.of());
        };
    }

    private static Jwt jwt(String value) {
        return Jwt.withTokenValue(value)
                .header("alg", "RS256")
                .claim("sub", "x")
                .expiresAt(Instant.now().plusSeconds(60))
                .build();
    }
}
