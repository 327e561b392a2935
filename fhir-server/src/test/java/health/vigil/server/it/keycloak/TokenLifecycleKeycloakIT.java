package health.vigil.server.it.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import health.vigil.server.it.keycloak.OAuthFlows.Introspection;
import health.vigil.server.it.keycloak.OAuthFlows.TokenResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Refresh, introspection (as the resource server) and RFC 7009 revocation of the realm's tokens. */
class TokenLifecycleKeycloakIT {

    private static KeycloakServer keycloak;
    private static OAuthFlows flows;

    @BeforeAll
    static void keycloak() {
        keycloak = KeycloakServer.shared();
        flows = new OAuthFlows(keycloak);
    }

    @Test
    void refresh_offlineRefreshToken_returnsNewWorkingAccessTokenWithLaunchContext() {
        TokenResponse launch = flows.patientLaunch("openid fhirUser launch/patient patient/*.rs offline_access");

        TokenResponse refreshed = flows.refresh(launch.refreshToken());

        assertThat(refreshed.ok()).as("%s", refreshed).isTrue();
        assertThat(refreshed.accessToken()).isNotEqualTo(launch.accessToken());
        assertThat(refreshed.parameters()).containsEntry("patient", "vigil-demo-patient");
        assertThat(refreshed.accessTokenClaims()).containsEntry("patient", "vigil-demo-patient");
        assertThat(flows.introspect(refreshed.accessToken()).active()).isTrue();
    }

    @Test
    void refresh_onlineRefreshToken_returnsNewAccessToken() {
        TokenResponse launch = flows.patientLaunch("openid launch/patient patient/*.rs online_access");

        TokenResponse refreshed = flows.refresh(launch.refreshToken());

        assertThat(refreshed.ok()).as("%s", refreshed).isTrue();
        assertThat(refreshed.scopes()).contains("patient/*.rs", "online_access");
    }

    @Test
    void refresh_refreshTokenUsedTwice_failsTheSecondTime() {
        // revokeRefreshToken: every refresh returns a new refresh token and retires the old one.
        TokenResponse launch = flows.patientLaunch("openid patient/*.rs offline_access");

        assertThat(flows.refresh(launch.refreshToken()).ok()).isTrue();
        TokenResponse again = flows.refresh(launch.refreshToken());
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.error()).isEqualTo("invalid_grant");
    }

    @Test
    void introspect_activeToken_returnsScopePatientAndAudience() {
        TokenResponse launch = flows.patientLaunch("openid fhirUser launch/patient patient/*.rs");

        Introspection introspection = flows.introspect(launch.accessToken());

        assertThat(introspection.status()).isEqualTo(200);
        assertThat(introspection.active()).isTrue();
        assertThat(introspection.json())
                .containsEntry("client_id", OAuthFlows.PATIENT_APP)
                .containsEntry("patient", "vigil-demo-patient")
                .containsEntry("fhirUser", "Patient/vigil-demo-patient")
                .containsEntry("username", "patient.ann");
        assertThat(((String) introspection.json().get("scope")).split(" ")).contains("patient/*.rs", "launch/patient");
        assertThat(OAuthFlows.strings(introspection.json().get("aud")))
                .contains(keycloak.fhirBaseUrl(), OAuthFlows.FHIR_SERVER);
    }

    @Test
    void introspect_asClientOutsideTheAudience_isInactive() {
        TokenResponse launch = flows.patientLaunch("openid patient/*.rs");

        assertThat(flows.introspect(launch.accessToken(), OAuthFlows.PROVIDER).active())
                .isFalse();
    }

    @Test
    void revoke_accessToken_makesIntrospectionInactive() {
        TokenResponse launch = flows.patientLaunch("openid patient/*.rs");
        assertThat(flows.introspect(launch.accessToken()).active()).isTrue();

        assertThat(flows.revoke(launch.accessToken())).isEqualTo(200);

        assertThat(flows.introspect(launch.accessToken()).active()).isFalse();
    }

    @Test
    void revoke_refreshToken_makesRefreshFail() {
        TokenResponse launch = flows.patientLaunch("openid patient/*.rs offline_access");

        assertThat(flows.revoke(launch.refreshToken())).isEqualTo(200);

        TokenResponse refreshed = flows.refresh(launch.refreshToken());
        assertThat(refreshed.status()).isEqualTo(400);
        assertThat(refreshed.error()).isEqualTo("invalid_grant");
    }

    @Test
    void revoke_onlineRefreshToken_makesRefreshFail() {
        TokenResponse launch = flows.patientLaunch("openid patient/*.rs online_access");

        assertThat(flows.revoke(launch.refreshToken())).isEqualTo(200);

        assertThat(flows.refresh(launch.refreshToken()).error()).isEqualTo("invalid_grant");
    }
}
