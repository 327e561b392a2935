package health.vigil.server.it.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import health.vigil.server.it.keycloak.OAuthFlows.AuthorizationResponse;
import health.vigil.server.it.keycloak.OAuthFlows.Pkce;
import health.vigil.server.it.keycloak.OAuthFlows.TokenResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SMART apps' clients require PKCE with S256, at the authorize and at the token endpoint. */
class PkceKeycloakIT {

    private static final String SCOPES = "openid launch/patient patient/*.rs";

    private static OAuthFlows flows;

    @BeforeAll
    static void keycloak() {
        flows = new OAuthFlows(KeycloakServer.shared());
    }

    @Test
    void exchangeCode_withoutCodeVerifier_failsWithInvalidGrant() {
        TokenResponse response = flows.exchangeCode(OAuthFlows.PATIENT_APP, code(Pkce.s256()), null);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).isEqualTo("invalid_grant");
        assertThat(response.errorDescription()).isEqualTo("PKCE code verifier not specified");
    }

    @Test
    void exchangeCode_blankCodeVerifier_failsWithInvalidGrant() {
        TokenResponse response = flows.exchangeCode(OAuthFlows.PATIENT_APP, code(Pkce.s256()), "");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).isEqualTo("invalid_grant");
        assertThat(response.errorDescription()).isEqualTo("PKCE verification failed: Invalid code verifier");
    }

    @Test
    void exchangeCode_wrongCodeVerifier_failsWithInvalidGrant() {
        TokenResponse response = flows.exchangeCode(
                OAuthFlows.PATIENT_APP, code(Pkce.s256()), Pkce.s256().verifier());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).isEqualTo("invalid_grant");
        assertThat(response.errorDescription()).isEqualTo("PKCE verification failed: Code mismatch");
    }

    @Test
    void exchangeCode_codeUsedTwice_failsTheSecondTime() {
        Pkce pkce = Pkce.s256();
        String code = code(pkce);

        assertThat(flows.exchangeCode(OAuthFlows.PATIENT_APP, code, pkce.verifier())
                        .ok())
                .isTrue();
        TokenResponse again = flows.exchangeCode(OAuthFlows.PATIENT_APP, code, pkce.verifier());
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.error()).isEqualTo("invalid_grant");
    }

    @Test
    void authorize_plainChallengeMethod_isRefused() {
        Pkce pkce = Pkce.s256();
        Map<String, String> parameters = flows.authorizeParameters(OAuthFlows.PATIENT_APP, SCOPES, pkce);
        parameters.put("code_challenge", pkce.verifier());
        parameters.put("code_challenge_method", "plain");

        AuthorizationResponse response = flows.authorize(parameters, OAuthFlows.PATIENT_ANN);

        assertThat(response.code()).isEmpty();
        assertThat(response.error()).hasValue("invalid_request");
        assertThat(response.errorDescription())
                .hasValue("Invalid parameter: code challenge method is not matching the configured one");
    }

    @Test
    void authorize_withoutCodeChallenge_isRefused() {
        Map<String, String> parameters = flows.authorizeParameters(OAuthFlows.PATIENT_APP, SCOPES, null);

        AuthorizationResponse response = flows.authorize(parameters, OAuthFlows.PATIENT_ANN);

        assertThat(response.code()).isEmpty();
        assertThat(response.error()).hasValue("invalid_request");
        assertThat(response.errorDescription()).hasValue("Missing parameter: code_challenge_method");
    }

    @Test
    void authorize_confidentialClientWithoutCodeChallenge_isRefusedToo() {
        Map<String, String> parameters = flows.authorizeParameters(OAuthFlows.PROVIDER, "openid user/*.rs", null);

        assertThat(flows.authorize(parameters, OAuthFlows.DR_SMITH).error()).hasValue("invalid_request");
    }

    private static String code(Pkce pkce) {
        AuthorizationResponse response = flows.authorize(
                flows.authorizeParameters(OAuthFlows.PATIENT_APP, SCOPES, pkce), OAuthFlows.PATIENT_ANN);
        assertThat(response.code())
                .as("code in %s", response.parameters().keySet())
                .isPresent();
        return response.code().get();
    }
}
