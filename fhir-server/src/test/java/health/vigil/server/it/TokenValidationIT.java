package health.vigil.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Tokens the server must refuse with 401: forged, expired, for someone else, or revoked. */
class TokenValidationIT extends ServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestIssuer.Token valid() {
        return TestIssuer.shared().token(FHIR_BASE, "system/*.rs");
    }

    @Test
    void validToken_isAccepted() throws Exception {
        assertThat(get(valid().sign()).statusCode()).isEqualTo(200);
    }

    @Test
    void expiredToken_401() throws Exception {
        assertRefused(
                valid().expiresAt(Instant.now().minus(Duration.ofMinutes(5))).sign(), "expired at");
    }

    @Test
    void tokenWithoutExpiry_401() throws Exception {
        assertRefused(valid().expiresAt(null).sign(), "exp");
    }

    @Test
    void notYetValidToken_401() throws Exception {
        assertRefused(
                valid().notBefore(Instant.now().plus(Duration.ofMinutes(10))).sign(), "used before");
    }

    @Test
    void wrongIssuer_401() throws Exception {
        assertRefused(
                valid().claim("iss", "https://evil.example.org/realms/vigil").sign(), "iss");
    }

    @Test
    void wrongAudience_401() throws Exception {
        assertRefused(
                valid().claim("aud", "https://other-server.example.org/fhir").sign(), "aud");
    }

    @Test
    void algNone_401() throws Exception {
        assertRefused(valid().unsigned(), null);
    }

    @Test
    void badSignature_401() throws Exception {
        String token = valid().sign();
        String[] parts = token.split("\\.");
        String forgedPayload = TestIssuer.base64Url(
                new String(java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8)
                        .replace("system/*.rs", "system/*.cruds"));
        assertRefused(parts[0] + "." + forgedPayload + "." + parts[2], null);
    }

    @Test
    void unknownKeyId_401() throws Exception {
        assertRefused(valid().signedByStranger().sign(), null);
    }

    @Test
    void garbage_401() throws Exception {
        assertRefused("not-a-jwt", null);
    }

    @Test
    void revokedToken_401OnTheVeryNextRequest() throws Exception {
        String token = valid().sign();
        assertThat(get(token).statusCode()).isEqualTo(200);

        TestIssuer.shared().revoke(token);

        assertRefused(token, "active");
    }

    private void assertRefused(String token, String reasonFragment) throws Exception {
        HttpResponse<String> response = get(token);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .get()
                .asString()
                .startsWith("Bearer")
                .contains("error=\"invalid_token\"");
        JsonNode outcome = JSON.readTree(response.body());
        assertThat(outcome.get("resourceType").asText()).isEqualTo("OperationOutcome");
        String diagnostics = outcome.get("issue").get(0).get("diagnostics").asText();
        assertThat(diagnostics).startsWith("VGL-1011");
        if (reasonFragment != null) {
            assertThat(diagnostics).contains(reasonFragment);
        }
    }

    private HttpResponse<String> get(String token) throws Exception {
        return http().send(
                        HttpRequest.newBuilder(URI.create(fhirBase() + "/Patient?_count=1"))
                                .header("Authorization", "Bearer " + token)
                                .header("Accept", "application/fhir+json")
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
