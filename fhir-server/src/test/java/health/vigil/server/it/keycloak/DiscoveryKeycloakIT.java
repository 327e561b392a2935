package health.vigil.server.it.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The realm's OpenID Connect discovery document: its endpoints are the harness's, and what it says
 * that SMART clients must not rely on (Vigil publishes its own {@code smart-configuration}).
 */
class DiscoveryKeycloakIT {

    private static KeycloakServer keycloak;
    private static Map<String, Object> discovery;

    @BeforeAll
    static void discovery() throws Exception {
        keycloak = KeycloakServer.shared();
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(keycloak.discoveryUrl()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        discovery = new ObjectMapper().readValue(response.body(), new TypeReference<>() {});
    }

    @Test
    void discovery_endpoints_areTheHarnessEndpoints() {
        assertThat(discovery)
                .containsEntry("issuer", keycloak.issuer())
                .containsEntry(
                        "authorization_endpoint",
                        keycloak.authorizationEndpoint().toString())
                .containsEntry("token_endpoint", keycloak.tokenEndpoint().toString())
                .containsEntry(
                        "introspection_endpoint",
                        keycloak.introspectionEndpoint().toString())
                .containsEntry(
                        "revocation_endpoint", keycloak.revocationEndpoint().toString())
                .containsEntry("jwks_uri", keycloak.jwksUri().toString());
    }

    @Test
    void discovery_clientAuthentication_offersPrivateKeyJwtWithRs384AndEs384() {
        assertThat(OAuthFlows.strings(discovery.get("token_endpoint_auth_methods_supported")))
                .contains("private_key_jwt", "client_secret_basic");
        assertThat(OAuthFlows.strings(discovery.get("token_endpoint_auth_signing_alg_values_supported")))
                .contains("RS384", "ES384");
    }

    @Test
    void discovery_pkceMethods_stillAdvertisePlain() {
        // Keycloak lists what it can do, not what the clients allow: every Vigil client refuses plain
        // (PkceKeycloakIT), and Vigil's own smart-configuration advertises S256 only.
        assertThat(OAuthFlows.strings(discovery.get("code_challenge_methods_supported")))
                .contains("S256", "plain");
    }
}
