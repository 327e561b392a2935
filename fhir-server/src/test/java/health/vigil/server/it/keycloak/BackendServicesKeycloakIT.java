package health.vigil.server.it.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import health.vigil.server.it.keycloak.OAuthFlows.TokenResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SMART Backend Services: client credentials with an RS384 private_key_jwt assertion. */
class BackendServicesKeycloakIT {

    private static final String SCOPES = "system/Observation.rs system/Patient.rs system/*.read";

    private static KeycloakServer keycloak;
    private static OAuthFlows flows;

    @BeforeAll
    static void keycloak() {
        keycloak = KeycloakServer.shared();
        flows = new OAuthFlows(keycloak);
    }

    @Test
    void clientCredentials_assertionWithoutIatExpiringInFiveMinutes_grantsSystemScopes() {
        TokenResponse response = flows.clientCredentials(SCOPES);

        assertThat(response.ok()).as("%s", response).isTrue();
        assertThat(response.scopes()).contains("system/Observation.rs", "system/Patient.rs", "system/*.read");
        assertThat(response.refreshToken())
                .as("no refresh token for client credentials")
                .isNull();
        assertThat(response.accessTokenClaims())
                .containsEntry("azp", OAuthFlows.BACKEND)
                .doesNotContainKeys("patient", "fhirUser");
        assertThat(OAuthFlows.strings(response.accessTokenClaims().get("aud")))
                .containsExactlyInAnyOrder(keycloak.fhirBaseUrl(), OAuthFlows.FHIR_SERVER);
    }

    @Test
    void clientCredentials_assertionSignedWithAnotherKey_failsWithInvalidClient() throws JOSEException {
        RSAKey stranger = new RSAKeyGenerator(2048)
                .keyID(OAuthFlows.backendKey().getKeyID())
                .generate();

        TokenResponse response = flows.clientCredentials(SCOPES, assertion(Duration.ofMinutes(5), stranger));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).isEqualTo("invalid_client");
        assertThat(response.errorDescription())
                .isEqualTo("Client authentication with signed JWT failed: Signature on JWT token failed validation");
    }

    @Test
    void clientCredentials_expiredAssertion_failsWithInvalidClient() {
        TokenResponse response =
                flows.clientCredentials(SCOPES, assertion(Duration.ofMinutes(-1), OAuthFlows.backendKey()));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).isEqualTo("invalid_client");
        assertThat(response.errorDescription()).isEqualTo("Token is not active");
    }

    @Test
    void clientCredentials_assertionExpiringAfterMoreThanFiveMinutes_failsWithInvalidClient() {
        TokenResponse response =
                flows.clientCredentials(SCOPES, assertion(Duration.ofMinutes(10), OAuthFlows.backendKey()));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).isEqualTo("invalid_client");
        assertThat(response.errorDescription())
                .isEqualTo("Token expiration is too far in the future and iat claim not present in token");
    }

    @Test
    void clientCredentials_replayedAssertion_failsWithInvalidClient() {
        String assertion = assertion(Duration.ofMinutes(5), OAuthFlows.backendKey());

        assertThat(flows.clientCredentials(SCOPES, assertion).ok()).isTrue();
        TokenResponse replay = flows.clientCredentials(SCOPES, assertion);
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.error()).isEqualTo("invalid_client");
        assertThat(replay.errorDescription()).isEqualTo("Token reuse detected");
    }

    @Test
    void clientCredentials_scopeNotAssignedToTheClient_failsWithInvalidScope() {
        TokenResponse response = flows.clientCredentials("system/*.rs patient/*.rs");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).isEqualTo("invalid_scope");
    }

    @Test
    void introspect_clientCredentialsToken_isActiveWithItsScopes() {
        TokenResponse response = flows.clientCredentials("system/*.rs");

        OAuthFlows.Introspection introspection = flows.introspect(response.accessToken());
        assertThat(introspection.active())
                .as("%s", introspection.json().keySet())
                .isTrue();
        assertThat(introspection.json()).containsEntry("client_id", OAuthFlows.BACKEND);
        assertThat(((String) introspection.json().get("scope")).split(" ")).contains("system/*.rs");
    }

    private static String assertion(Duration expiresIn, RSAKey key) {
        return flows.clientAssertion(
                Instant.now().plus(expiresIn), UUID.randomUUID().toString(), key);
    }
}
