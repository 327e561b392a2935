package health.vigil.server.it.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import health.vigil.server.it.keycloak.OAuthFlows.TokenResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SMART App Launch 2.x standalone launches against the real vigil realm. */
class SmartLaunchKeycloakIT {

    private static final String VITAL_SIGNS =
            "patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs";

    private static KeycloakServer keycloak;
    private static OAuthFlows flows;

    @BeforeAll
    static void keycloak() {
        keycloak = KeycloakServer.shared();
        flows = new OAuthFlows(keycloak);
    }

    @Test
    void patientLaunch_withLaunchPatient_returnsLaunchContextBesideTheToken() {
        TokenResponse response = flows.patientLaunch("openid fhirUser launch/patient patient/*.rs offline_access");

        assertThat(response.ok()).as("%s", response).isTrue();
        assertThat(response.parameters())
                .containsEntry("patient", "vigil-demo-patient")
                .containsEntry("need_patient_banner", true)
                .containsEntry("smart_style_url", keycloak.publicUrl() + "/apps/smart-style.json")
                .containsEntry("token_type", "Bearer")
                .containsEntry("expires_in", 300);
        assertThat(response.scopes())
                .containsExactlyInAnyOrder("openid", "fhirUser", "launch/patient", "patient/*.rs", "offline_access");
        assertThat(response.refreshToken()).isNotBlank();
    }

    @Test
    void patientLaunch_withLaunchPatient_putsPatientFhirUserAndAudienceIntoTheAccessToken() {
        TokenResponse response = flows.patientLaunch("openid fhirUser launch/patient patient/*.rs");

        Map<String, Object> claims = response.accessTokenClaims();
        assertThat(claims)
                .containsEntry("iss", keycloak.issuer())
                .containsEntry("azp", OAuthFlows.PATIENT_APP)
                .containsEntry("patient", "vigil-demo-patient")
                .containsEntry("fhirUser", "Patient/vigil-demo-patient")
                .containsKey("sub");
        assertThat(OAuthFlows.strings(claims.get("aud")))
                .containsExactlyInAnyOrder(keycloak.fhirBaseUrl(), OAuthFlows.FHIR_SERVER);
        assertThat(((String) claims.get("scope")).split(" ")).contains("launch/patient", "fhirUser", "patient/*.rs");
        assertThat((Long) claims.get("exp") - (Long) claims.get("iat")).isEqualTo(300);
        assertThat(response.idTokenClaims()).containsEntry("fhirUser", "Patient/vigil-demo-patient");
    }

    @Test
    void patientLaunch_withoutLaunchPatient_carriesNoLaunchContext() {
        TokenResponse response = flows.patientLaunch("openid fhirUser patient/Observation.rs");

        assertThat(response.ok()).as("%s", response).isTrue();
        assertThat(response.parameters()).doesNotContainKeys("patient", "need_patient_banner", "smart_style_url");
        assertThat(response.accessTokenClaims())
                .doesNotContainKey("patient")
                .containsEntry("fhirUser", "Patient/vigil-demo-patient");
    }

    @Test
    void patientLaunch_granularScope_isGrantedByItsFullName() {
        TokenResponse response = flows.patientLaunch("openid " + VITAL_SIGNS);

        assertThat(response.ok()).as("%s", response).isTrue();
        assertThat(response.scopes()).contains(VITAL_SIGNS);
        assertThat(((String) response.accessTokenClaims().get("scope")).split(" "))
                .contains(VITAL_SIGNS);
    }

    @Test
    void patientLaunch_scopeNotAssignedToTheClient_failsWithInvalidScope() {
        // Keycloak grants all or nothing: one unknown scope fails the whole request.
        assertThat(flows.patientLaunch("openid patient/*.rs user/*.rs").error()).isEqualTo("invalid_scope");
        assertThat(flows.patientLaunch("openid patient/Basic.rs").error()).isEqualTo("invalid_scope");
        assertThat(flows.patientLaunch("openid launch").error()).isEqualTo("invalid_scope");
    }

    @Test
    void patientLaunch_audParameterOfAnotherServer_isIgnoredAndTheTokenStaysForVigil() {
        // Stock Keycloak does not check SMART's aud parameter: the audience comes from the realm.
        OAuthFlows.Pkce pkce = OAuthFlows.Pkce.s256();
        Map<String, String> parameters = flows.authorizeParameters(OAuthFlows.PATIENT_APP, "openid patient/*.rs", pkce);
        parameters.put("aud", "https://other.example/fhir");

        OAuthFlows.AuthorizationResponse authorization = flows.authorize(parameters, OAuthFlows.PATIENT_ANN);
        TokenResponse response =
                flows.exchangeCode(OAuthFlows.PATIENT_APP, authorization.code().orElseThrow(), pkce.verifier());

        assertThat(OAuthFlows.strings(response.accessTokenClaims().get("aud")))
                .containsExactlyInAnyOrder(keycloak.fhirBaseUrl(), OAuthFlows.FHIR_SERVER);
    }

    @Test
    void clinicianLaunch_userScopes_returnThePractitionerAsFhirUser() {
        TokenResponse response = flows.clinicianLaunch("openid fhirUser user/*.cruds user/Patient.rs online_access");

        assertThat(response.ok()).as("%s", response).isTrue();
        assertThat(response.accessTokenClaims())
                .containsEntry("fhirUser", "Practitioner/vigil-demo-practitioner")
                .containsEntry("azp", OAuthFlows.CLINICIAN_APP)
                .doesNotContainKey("patient");
        assertThat(response.scopes()).contains("user/*.cruds", "user/Patient.rs", "online_access");
    }

    @Test
    void clinicianLaunch_launchPatientForUserWithoutPatient_returnsBannerButNoPatient() {
        TokenResponse response = flows.clinicianLaunch("openid launch/patient user/*.rs");

        assertThat(response.ok()).as("%s", response).isTrue();
        assertThat(response.parameters()).doesNotContainKey("patient").containsEntry("need_patient_banner", true);
        assertThat(response.accessTokenClaims()).doesNotContainKey("patient");
    }

    @Test
    void standaloneLaunch_confidentialProviderClient_authenticatesWithItsSecret() {
        TokenResponse response = flows.standaloneLaunch(
                OAuthFlows.PROVIDER, OAuthFlows.DR_SMITH, "openid fhirUser user/Observation.rs user/Patient.read");

        assertThat(response.ok()).as("%s", response).isTrue();
        assertThat(response.accessTokenClaims())
                .containsEntry("azp", OAuthFlows.PROVIDER)
                .containsEntry("fhirUser", "Practitioner/vigil-demo-practitioner");
    }
}
