package health.vigil.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/** The decoder against a real JWKS endpoint on loopback: key caching, issuer outages, unknown keys. */
class JwtDecodersTest {

    private static final String FHIR = "https://fhir.example.org/fhir";

    private final AtomicInteger fetches = new AtomicInteger();
    private HttpServer jwks;
    private RSAKey key;
    private String issuer;

    @BeforeEach
    void startIssuer() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/realms/t/protocol/openid-connect/certs", exchange -> {
            fetches.incrementAndGet();
            byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
        issuer = "http://127.0.0.1:" + jwks.getAddress().getPort() + "/realms/t";
    }

    @AfterEach
    void stopIssuer() {
        jwks.stop(0);
    }

    @Test
    void decode_manyTokens_fetchKeysOnce() throws Exception {
        JwtDecoder decoder = decoder("5m");

        decoder.decode(token(key, issuer, FHIR));
        decoder.decode(token(key, issuer, FHIR));

        assertThat(fetches).hasValue(1);
    }

    @Test
    void decode_issuerDownAfterKeysExpired_stillValidatesWithCachedKeys() throws Exception {
        JwtDecoder decoder = decoder("1s");
        decoder.decode(token(key, issuer, FHIR));

        jwks.stop(0);
        Thread.sleep(1_500);

        assertThat(decoder.decode(token(key, issuer, FHIR)).getClaimAsString("iss"))
                .isEqualTo(issuer);
    }

    @Test
    void decode_unknownKeyOrWrongClaims_refused() throws Exception {
        JwtDecoder decoder = decoder("5m");
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("k2").generate();

        assertThatThrownBy(() -> decoder.decode(token(stranger, issuer, FHIR))).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> decoder.decode(token(key, "https://evil.example.org", FHIR)))
                .isInstanceOf(JwtException.class)
                .hasMessageContaining("iss");
        assertThatThrownBy(() -> decoder.decode(token(key, issuer, "https://other.example.org/fhir")))
                .isInstanceOf(JwtException.class)
                .hasMessageContaining("aud");
    }

    private JwtDecoder decoder(String keyCache) {
        VigilSecurityProperties properties = SecuritySettingsTest.bind(Map.of(
                "vigil.security.issuer", issuer,
                "vigil.security.fhir-base-url", FHIR,
                "vigil.security.key-cache", keyCache,
                "vigil.security.introspection.enabled", "false"));
        return JwtDecoders.create(properties, IntrospectionValidator.disabled());
    }

    private static String token(RSAKey signingKey, String issuer, String audience) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(signingKey.getKeyID())
                        .build(),
                new JWTClaimsSet.Builder()
                        .issuer(issuer)
                        .audience(List.of(audience))
                        .subject("s")
                        .issueTime(new Date())
                        .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                        .build());
        jwt.sign(new RSASSASigner(signingKey));
        return jwt.serialize();
    }
}
