package health.vigil.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a SMART app discovers before it has a token: the SMART configuration and the CapabilityStatement. */
class SmartConfigurationIT extends ServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every field SMART App Launch 2.x (2.2.0) defines for {@code .well-known/smart-configuration}. */
    private static final Set<String> SMART_FIELDS = Set.of(
            "issuer",
            "jwks_uri",
            "authorization_endpoint",
            "grant_types_supported",
            "token_endpoint",
            "token_endpoint_auth_methods_supported",
            "registration_endpoint",
            "smart_app_state_endpoint",
            "associated_endpoints",
            "user_access_brand_bundle",
            "user_access_brand_identifier",
            "scopes_supported",
            "response_types_supported",
            "management_endpoint",
            "introspection_endpoint",
            "revocation_endpoint",
            "capabilities",
            "code_challenge_methods_supported",
            "token_endpoint_auth_signing_alg_values_supported");

    /** The capabilities SMART App Launch 2.x defines. */
    private static final Set<String> SMART_CAPABILITIES = Set.of(
            "launch-ehr",
            "launch-standalone",
            "authorize-post",
            "client-public",
            "client-confidential-symmetric",
            "client-confidential-asymmetric",
            "sso-openid-connect",
            "context-banner",
            "context-style",
            "context-ehr-patient",
            "context-ehr-encounter",
            "context-standalone-patient",
            "context-standalone-encounter",
            "permission-offline",
            "permission-online",
            "permission-patient",
            "permission-user",
            "permission-v1",
            "permission-v2",
            "smart-app-state");

    @Test
    void smartConfiguration_withoutToken_conformsToSmartAppLaunch2() throws Exception {
        HttpResponse<String> response = anonymous(fhirBase() + "/.well-known/smart-configuration");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .get()
                .asString()
                .startsWith("application/json");
        JsonNode document = JSON.readTree(response.body());
        List<String> fields = new ArrayList<>();
        document.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).allMatch(SMART_FIELDS::contains, "a SMART 2.x field");

        // Required by SMART 2.x, and conditionally required for the capabilities advertised.
        assertThat(fields)
                .contains(
                        "grant_types_supported",
                        "token_endpoint",
                        "capabilities",
                        "code_challenge_methods_supported",
                        "issuer",
                        "jwks_uri",
                        "authorization_endpoint");
        assertThat(texts(document.get("code_challenge_methods_supported"))).containsExactly("S256");
        assertThat(texts(document.get("capabilities")))
                .allMatch(SMART_CAPABILITIES::contains, "a SMART 2.x capability")
                .contains(
                        "launch-standalone",
                        "client-public",
                        "client-confidential-asymmetric",
                        "context-standalone-patient",
                        "permission-v1",
                        "permission-v2",
                        "permission-patient",
                        "permission-user",
                        "sso-openid-connect");
        assertThat(texts(document.get("grant_types_supported")))
                .contains("authorization_code", "client_credentials", "refresh_token");
        assertThat(texts(document.get("token_endpoint_auth_methods_supported"))).contains("private_key_jwt");
        assertThat(texts(document.get("scopes_supported"))).contains("openid", "fhirUser", "launch/patient");
        assertThat(document.get("issuer").asText())
                .isEqualTo(TestIssuer.shared().issuer());
        for (String url : List.of(
                "jwks_uri",
                "authorization_endpoint",
                "token_endpoint",
                "introspection_endpoint",
                "revocation_endpoint",
                "management_endpoint")) {
            assertThat(URI.create(document.get(url).asText()).isAbsolute())
                    .as(url)
                    .isTrue();
        }
    }

    @Test
    void smartConfiguration_atServerRoot_isTheSameDocument() throws Exception {
        assertThat(anonymous(serverUrl() + "/.well-known/smart-configuration").body())
                .isEqualTo(anonymous(fhirBase() + "/.well-known/smart-configuration")
                        .body());
    }

    @Test
    void smartConfiguration_fromBrowserApp_allowsCrossOriginReads() throws Exception {
        HttpResponse<String> response = http().send(
                        HttpRequest.newBuilder(URI.create(fhirBase() + "/.well-known/smart-configuration"))
                                .header("Origin", "https://app.example.org")
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example.org");
    }

    @Test
    void preflight_fromBrowserApp_allowsAuthorizationHeaderWithoutToken() throws Exception {
        HttpResponse<String> response = http().send(
                        HttpRequest.newBuilder(URI.create(fhirBase() + "/Observation"))
                                .header("Origin", "https://app.example.org")
                                .header("Access-Control-Request-Method", "GET")
                                .header("Access-Control-Request-Headers", "authorization")
                                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example.org");
        assertThat(response.headers().firstValue("Access-Control-Allow-Headers"))
                .get()
                .asString()
                .containsIgnoringCase("authorization");
    }

    @Test
    void capabilityStatement_withoutToken_declaresSmartOnFhirWithOauthUris() throws Exception {
        HttpResponse<String> response = anonymous(fhirBase() + "/metadata");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode security = JSON.readTree(response.body()).get("rest").get(0).get("security");
        assertThat(security.get("cors").asBoolean()).isTrue();
        assertThat(security.get("service")
                        .get(0)
                        .get("coding")
                        .get(0)
                        .get("code")
                        .asText())
                .isEqualTo("SMART-on-FHIR");
        JsonNode oauthUris = security.get("extension").get(0);
        assertThat(oauthUris.get("url").asText())
                .isEqualTo("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris");
        List<String> names = new ArrayList<>();
        oauthUris
                .get("extension")
                .forEach(extension -> names.add(extension.get("url").asText()));
        assertThat(names).contains("authorize", "token", "revoke", "introspect", "manage");
        JsonNode smart = JSON.readTree(
                anonymous(fhirBase() + "/.well-known/smart-configuration").body());
        oauthUris.get("extension").forEach(extension -> {
            if (extension.get("url").asText().equals("token")) {
                assertThat(extension.get("valueUri").asText())
                        .isEqualTo(smart.get("token_endpoint").asText());
            }
        });
    }

    @Test
    void fhirApi_withoutToken_401WithBearerChallengeAndOutcome() throws Exception {
        HttpResponse<String> response = anonymous(fhirBase() + "/Patient");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .get()
                .asString()
                .startsWith("Bearer");
        JsonNode outcome = JSON.readTree(response.body());
        assertThat(outcome.get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(outcome.get("issue").get(0).get("diagnostics").asText()).startsWith("VGL-1010");
    }

    @Test
    void healthProbe_withoutToken_isUp() throws Exception {
        HttpResponse<String> response = anonymous(serverUrl() + "/actuator/health/readiness");

        assertThat(response.statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> anonymous(String url) throws Exception {
        return http().send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Accept", "application/fhir+json, application/json")
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
