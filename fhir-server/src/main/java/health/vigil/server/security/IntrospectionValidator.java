package health.vigil.server.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import health.vigil.server.security.VigilSecurityProperties.Introspection.WhenUnavailable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

/**
 * Asks the issuer whether a locally valid token is still active (RFC 7662), so a revoked token or a
 * logged-out session stops working within {@code cache-ttl}. Answers are cached by the token's SHA-256
 * (never the token itself). When the issuer cannot be reached, {@code when-unavailable} decides.
 */
final class IntrospectionValidator implements OAuth2TokenValidator<Jwt> {

    private static final Logger log = LoggerFactory.getLogger(IntrospectionValidator.class);

    private final OpaqueTokenIntrospector introspector;
    private final WhenUnavailable whenUnavailable;
    private final Cache<String, Boolean> active;

    IntrospectionValidator(OpaqueTokenIntrospector introspector, Duration cacheTtl, WhenUnavailable whenUnavailable) {
        this.introspector = introspector;
        this.whenUnavailable = whenUnavailable;
        this.active = Caffeine.newBuilder()
                .expireAfterWrite(cacheTtl)
                .maximumSize(100_000)
                .build();
    }

    /** A validator that accepts every token: introspection switched off. */
    static OAuth2TokenValidator<Jwt> disabled() {
        return token -> OAuth2TokenValidatorResult.success();
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        String key = sha256(token.getTokenValue());
        Boolean known = active.getIfPresent(key);
        if (known == null) {
            try {
                introspector.introspect(token.getTokenValue());
                known = true;
            } catch (BadOpaqueTokenException inactive) {
                known = false;
            } catch (OAuth2IntrospectionException unavailable) {
                log.warn(
                        "Token introspection failed ({}); the token is {}",
                        unavailable.getMessage(),
                        whenUnavailable == WhenUnavailable.ACCEPT ? "accepted on its signature" : "refused");
                return whenUnavailable == WhenUnavailable.ACCEPT
                        ? OAuth2TokenValidatorResult.success()
                        : OAuth2TokenValidatorResult.failure(new OAuth2Error(
                                OAuth2ErrorCodes.INVALID_TOKEN, "the issuer cannot confirm the token now", null));
            }
            active.put(key, known);
        }
        return known
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error(
                        OAuth2ErrorCodes.INVALID_TOKEN, "the token is no longer active (revoked or ended)", null));
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
