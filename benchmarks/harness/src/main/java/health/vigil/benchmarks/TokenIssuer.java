package health.vigil.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A token issuer for the benchmark servers in {@code smart} mode: it publishes one RSA signing key as
 * a JWKS on 127.0.0.1 and signs RS256 access tokens itself, so the servers validate real tokens
 * without an identity provider in the measurement. Introspection is off in the servers it is used
 * with.
 */
final class TokenIssuer implements AutoCloseable {

    private static final String KEY_ID = "benchmark";
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final ObjectMapper json;
    private final KeyPair keys;
    private final HttpServer server;

    private TokenIssuer(ObjectMapper json, KeyPair keys, HttpServer server) {
        this.json = json;
        this.keys = keys;
        this.server = server;
    }

    static TokenIssuer start(ObjectMapper json) throws IOException {
        KeyPair keys;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is part of every JDK", e);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        TokenIssuer issuer = new TokenIssuer(json, keys, server);
        byte[] jwks = issuer.jwks();
        server.createContext("/jwks", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(jwks);
            }
        });
        server.start();
        return issuer;
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String jwksUrl() {
        return issuer() + "/jwks";
    }

    /** The server arguments that make a server trust this issuer, in {@code smart} mode. */
    List<String> serverArguments(String fhirBaseUrl) {
        return List.of(
                "--vigil.security.mode=smart",
                "--vigil.security.issuer=" + issuer(),
                "--vigil.security.fhir-base-url=" + fhirBaseUrl,
                "--vigil.security.endpoints.jwks=" + jwksUrl(),
                "--vigil.security.introspection.enabled=false");
    }

    /** A signed access token for a practitioner user with the given scopes, valid for {@code lifetime}. */
    String token(String audience, String fhirUser, String scopes, Duration lifetime) {
        Instant now = Instant.now();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer());
        claims.put("aud", List.of(audience));
        claims.put("sub", "benchmark-user");
        claims.put("azp", "benchmark-client");
        claims.put("scope", scopes);
        claims.put("fhirUser", fhirUser);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(lifetime).getEpochSecond());
        try {
            String header =
                    URL.encodeToString(json.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT", "kid", KEY_ID)));
            String payload = URL.encodeToString(json.writeValueAsBytes(claims));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(keys.getPrivate());
            signature.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + URL.encodeToString(signature.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not sign a benchmark token", e);
        }
    }

    private byte[] jwks() throws IOException {
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "RSA");
        jwk.put("kid", KEY_ID);
        jwk.put("use", "sig");
        jwk.put("alg", "RS256");
        jwk.put("n", URL.encodeToString(unsigned(key.getModulus())));
        jwk.put("e", URL.encodeToString(unsigned(key.getPublicExponent())));
        return json.writeValueAsBytes(Map.of("keys", List.of(jwk)));
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
