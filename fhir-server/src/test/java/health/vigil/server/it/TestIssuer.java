package health.vigil.server.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A token issuer in the test JVM, for the fast tier: it publishes its signing key (JWKS) and answers
 * token introspection on 127.0.0.1, and mints whatever tokens a test needs, including broken ones.
 * The server under test trusts it exactly as it would trust Keycloak.
 */
final class TestIssuer {

    static final String INTROSPECTION_CLIENT = "vigil-fhir-server";
    static final String INTROSPECTION_SECRET = "test-introspection-secret";

    private static TestIssuer shared;

    private final HttpServer server;
    private final RSAKey signingKey;
    private final RSAKey strangerKey;
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final AtomicInteger introspections = new AtomicInteger();
    private final ObjectMapper json = new ObjectMapper();

    private TestIssuer() throws IOException, JOSEException {
        signingKey = new RSAKeyGenerator(2048).keyID("test-key-1").generate();
        strangerKey = new RSAKeyGenerator(2048).keyID("stranger-key").generate();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/realms/test/protocol/openid-connect/certs", this::jwks);
        server.createContext("/realms/test/protocol/openid-connect/token/introspect", this::introspect);
        server.start();
    }

    static synchronized TestIssuer shared() {
        if (shared == null) {
            try {
                shared = new TestIssuer();
            } catch (IOException | JOSEException e) {
                throw new IllegalStateException("The test token issuer could not start", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> shared.server.stop(0)));
        }
        return shared;
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/test";
    }

    /** How many introspection calls the issuer has answered. */
    int introspections() {
        return introspections.get();
    }

    /** Marks a token revoked: introspection answers {@code active: false} for it from now on. */
    void revoke(String token) {
        revoked.add(token);
    }

    /** A token for the given audience, valid for 10 minutes, with these scopes and nothing else. */
    Token token(String audience, String... scopes) {
        return new Token(audience).scopes(scopes);
    }

    /** A token being put together; {@link #sign()} makes it. */
    final class Token {
        private final Map<String, Object> claims = new LinkedHashMap<>();
        private Instant issuedAt = Instant.now();
        private Instant expiresAt = issuedAt.plus(Duration.ofMinutes(10));
        private Instant notBefore = null;
        private boolean stranger;

        private Token(String audience) {
            claims.put("iss", issuer());
            claims.put("aud", List.of(audience, INTROSPECTION_CLIENT));
            claims.put("sub", "subject-" + UUID.randomUUID());
            claims.put("azp", "test-client");
        }

        Token scopes(String... scopes) {
            claims.put("scope", String.join(" ", scopes));
            return this;
        }

        Token patient(String patientId) {
            claims.put("patient", patientId);
            return this;
        }

        Token fhirUser(String fhirUser) {
            claims.put("fhirUser", fhirUser);
            return this;
        }

        Token claim(String name, Object value) {
            if (value == null) {
                claims.remove(name);
            } else {
                claims.put(name, value);
            }
            return this;
        }

        /** The expiry; one in the past makes a token issued ten minutes before it. */
        Token expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            if (expiresAt != null && expiresAt.isBefore(issuedAt)) {
                issuedAt = expiresAt.minus(Duration.ofMinutes(10));
            }
            return this;
        }

        Token notBefore(Instant notBefore) {
            this.notBefore = notBefore;
            return this;
        }

        /** Signed with a key the issuer never published. */
        Token signedByStranger() {
            this.stranger = true;
            return this;
        }

        String sign() {
            JWTClaimsSet.Builder set = new JWTClaimsSet.Builder()
                    .issueTime(Date.from(issuedAt))
                    .jwtID(UUID.randomUUID().toString());
            if (expiresAt != null) {
                set.expirationTime(Date.from(expiresAt));
            }
            if (notBefore != null) {
                set.notBeforeTime(Date.from(notBefore));
            }
            claims.forEach(set::claim);
            RSAKey key = stranger ? strangerKey : signingKey;
            try {
                SignedJWT jwt = new SignedJWT(
                        new JWSHeader.Builder(JWSAlgorithm.RS256)
                                .keyID(key.getKeyID())
                                .type(JOSEObjectType.JWT)
                                .build(),
                        set.build());
                jwt.sign(new RSASSASigner(key));
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The same claims, unsigned: {@code alg: none}. */
        String unsigned() {
            String header = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
            String signed = sign();
            String payload = signed.split("\\.")[1];
            return header + "." + payload + ".";
        }
    }

    static String base64Url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private void jwks(HttpExchange exchange) throws IOException {
        respond(exchange, 200, new JWKSet(signingKey.toPublicJWK()).toString(true));
    }

    private void introspect(HttpExchange exchange) throws IOException {
        introspections.incrementAndGet();
        String expected = "Basic "
                + Base64.getEncoder()
                        .encodeToString(
                                (INTROSPECTION_CLIENT + ":" + INTROSPECTION_SECRET).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            respond(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        String token = formValue(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Map<String, Object> answer = new LinkedHashMap<>();
        boolean active = token != null && !revoked.contains(token) && isUnexpired(token);
        answer.put("active", active);
        respond(exchange, 200, json.writeValueAsString(answer));
    }

    private boolean isUnexpired(String token) {
        try {
            Date expiry = SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime();
            return expiry != null && expiry.toInstant().isAfter(Instant.now());
        } catch (java.text.ParseException e) {
            return false;
        }
    }

    private static String formValue(String form) {
        List<String> values = new ArrayList<>();
        for (String pair : form.split("&")) {
            if (pair.startsWith("token=")) {
                values.add(URLDecoder.decode(pair.substring("token=".length()), StandardCharsets.UTF_8));
            }
        }
        return values.isEmpty() ? null : values.get(0);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
