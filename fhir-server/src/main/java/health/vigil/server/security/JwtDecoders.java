package health.vigil.server.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Builds the bearer-token decoder: signature by the issuer's published keys, then issuer, audience
 * (the FHIR base URL), expiry and not-before, then (optionally) the issuer's introspection answer.
 *
 * <p>The keys are cached and survive an issuer outage: Nimbus' JWK source refreshes them ahead of
 * expiry, fetches at once for a key id it does not know (rate-limited, so a flood of forged key ids
 * cannot flood the issuer), and keeps using the cached set for {@code key-outage-tolerance} while the
 * issuer is down.
 */
final class JwtDecoders {

    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    private static final int READ_TIMEOUT_MILLIS = 5_000;
    private static final int JWKS_SIZE_LIMIT_BYTES = 256 * 1024;

    private JwtDecoders() {}

    static JwtDecoder create(VigilSecurityProperties properties, OAuth2TokenValidator<Jwt> introspection) {
        JWKSource<SecurityContext> keys = keySource(properties);
        Set<JWSAlgorithm> algorithms =
                properties.jwsAlgorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toSet());
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        // Claims are checked by the validators below, with the configured clock skew and Vigil's messages.
        processor.setJWTClaimsSetVerifier((claims, context) -> {});

        NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(new JwtTimestampValidator(properties.clockSkew()));
        validators.add(new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull));
        validators.add(new JwtIssuerValidator(properties.issuer()));
        validators.add(new JwtClaimValidator<List<String>>(
                JwtClaimNames.AUD, audience -> audience != null && audience.contains(properties.fhirBaseUrl())));
        validators.add(introspection);
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return decoder;
    }

    private static JWKSource<SecurityContext> keySource(VigilSecurityProperties properties) {
        // Nimbus requires each of these to be shorter than the cache lifetime; the defaults (5 s, 30 s,
        // 30 s) shrink with a short key-cache.
        long lifetime = properties.keyCache().toMillis();
        long refreshTimeout = Math.min(READ_TIMEOUT_MILLIS, lifetime / 4);
        long refreshAhead = Math.min(30_000, lifetime / 4);
        long minFetchInterval = Math.min(30_000, lifetime / 2);
        try {
            return JWKSourceBuilder.create(
                            URI.create(properties.jwksBackchannel()).toURL(),
                            new DefaultResourceRetriever(
                                    CONNECT_TIMEOUT_MILLIS, READ_TIMEOUT_MILLIS, JWKS_SIZE_LIMIT_BYTES))
                    .cache(lifetime, refreshTimeout)
                    .refreshAheadCache(refreshAhead, false)
                    .outageTolerant(properties.keyOutageTolerance().toMillis())
                    .rateLimited(minFetchInterval)
                    .build();
        } catch (MalformedURLException e) {
            throw new InvalidSecuritySettingsException(
                    List.of("the issuer's key set URL '" + properties.jwksBackchannel() + "' is not a URL"));
        }
    }
}
