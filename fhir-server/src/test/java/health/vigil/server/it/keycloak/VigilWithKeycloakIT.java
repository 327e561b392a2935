package health.vigil.server.it.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.vigil.server.VigilApplication;
import health.vigil.server.it.keycloak.OAuthFlows.TokenResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The real tier end to end: a Vigil server that trusts the real Keycloak with the repository's realm
 * and provider, used with tokens from real SMART flows: a standalone patient launch, a clinician, a
 * backend service, refresh and revocation. Its own embedded database: the flows do not depend on it.
 */
@SpringBootTest(classes = VigilApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VigilWithKeycloakIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ANN = "vigil-demo-patient";
    private static final String OTHER = "vigil-kc-other-patient";

    private static final KeycloakServer KEYCLOAK = KeycloakServer.shared(KeycloakServer.DEFAULT_FHIR_BASE_URL);
    private final OAuthFlows flows = new OAuthFlows(KEYCLOAK);

    @DynamicPropertySource
    static void vigilTrustsKeycloak(DynamicPropertyRegistry registry) throws IOException {
        URI fhir = URI.create(KEYCLOAK.fhirBaseUrl());
        Path data = Files.createTempDirectory("vigil-kc-it-");
        registry.add("vigil.server.data-directory", data::toString);
        registry.add("server.port", fhir::getPort);
        registry.add("vigil.security.mode", () -> "smart");
        registry.add("vigil.security.issuer", KEYCLOAK::issuer);
        registry.add("vigil.security.fhir-base-url", KEYCLOAK::fhirBaseUrl);
        registry.add("vigil.security.introspection.client-id", () -> OAuthFlows.FHIR_SERVER);
        registry.add("vigil.security.introspection.client-secret", () -> "vigil-fhir-server-demo-secret");
        registry.add("vigil.security.introspection.cache-ttl", () -> "0s");
    }

    @BeforeAll
    void createRecordsAsBackendService() throws Exception {
        String admin = flows.clientCredentials("system/*.cruds").accessToken();
        put(
                admin,
                "Patient/" + ANN,
                "{\"resourceType\":\"Patient\",\"id\":\"" + ANN + "\",\"name\":[{\"family\":\"Ann\"}]}");
        put(
                admin,
                "Patient/" + OTHER,
                "{\"resourceType\":\"Patient\",\"id\":\"" + OTHER + "\",\"name\":[{\"family\":\"Other\"}]}");
        put(admin, "Condition/kc-ann-condition", condition("kc-ann-condition", ANN));
        put(admin, "Condition/kc-other-condition", condition("kc-other-condition", OTHER));
    }

    @Test
    void patientLaunch_token_readsOwnRecordOnly() throws Exception {
        String token = flows.patientLaunch("openid fhirUser launch/patient patient/*.rs")
                .accessToken();

        assertThat(get(token, "Patient/" + ANN).statusCode()).isEqualTo(200);
        assertThat(get(token, "Patient/" + OTHER).statusCode()).isEqualTo(403);
        assertThat(ids(get(token, "Condition"))).containsExactly("kc-ann-condition");
        assertThat(get(token, "Condition/kc-other-condition").statusCode()).isEqualTo(403);
    }

    @Test
    void patientLaunch_readOnlyToken_cannotWrite() throws Exception {
        String token = flows.patientLaunch("openid launch/patient patient/*.rs").accessToken();

        HttpResponse<String> created = send(token, "POST", "Condition", condition(null, ANN));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(403);
    }

    @Test
    void clinician_userScopes_readsAnyPatientButWritesNothing() throws Exception {
        String token = flows.clinicianLaunch("openid fhirUser user/*.rs").accessToken();

        assertThat(get(token, "Patient/" + OTHER).statusCode()).isEqualTo(200);
        assertThat(ids(get(token, "Condition?_id=kc-ann-condition,kc-other-condition")))
                .containsExactlyInAnyOrder("kc-ann-condition", "kc-other-condition");
        assertThat(send(token, "POST", "Condition", condition(null, OTHER)).statusCode())
                .isEqualTo(403);
    }

    @Test
    void backendService_systemRead_startsBulkExportButCannotWrite() throws Exception {
        String token = flows.clientCredentials("system/*.rs").accessToken();

        HttpResponse<String> export = HTTP.send(
                HttpRequest.newBuilder(URI.create(KEYCLOAK.fhirBaseUrl() + "/$export?_type=Patient"))
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "application/fhir+json")
                        .header("Prefer", "respond-async")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(export.statusCode()).as(export.body()).isEqualTo(202);
        assertThat(send(token, "POST", "Condition", condition(null, OTHER)).statusCode())
                .isEqualTo(403);
    }

    @Test
    void revokedToken_401OnTheNextRequest() throws Exception {
        String token = flows.patientLaunch("openid launch/patient patient/*.rs").accessToken();
        assertThat(get(token, "Patient/" + ANN).statusCode()).isEqualTo(200);

        assertThat(flows.revoke(token)).isEqualTo(200);

        HttpResponse<String> refused = get(token, "Patient/" + ANN);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate"))
                .get()
                .asString()
                .contains("invalid_token");
        assertThat(refused.body()).contains("VGL-1011");
    }

    @Test
    void refreshedToken_works() throws Exception {
        TokenResponse first = flows.patientLaunch("openid launch/patient patient/*.rs offline_access");

        TokenResponse refreshed = flows.refresh(first.refreshToken());

        assertThat(refreshed.ok()).as("%s", refreshed).isTrue();
        assertThat(refreshed.accessToken()).isNotEqualTo(first.accessToken());
        assertThat(get(refreshed.accessToken(), "Patient/" + ANN).statusCode()).isEqualTo(200);
    }

    @Test
    void smartConfiguration_pointsAtTheRealmAndItsKeys() throws Exception {
        JsonNode smart = JSON.readTree(HTTP.send(
                        HttpRequest.newBuilder(URI.create(KEYCLOAK.fhirBaseUrl() + "/.well-known/smart-configuration"))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());

        assertThat(smart.get("issuer").asText()).isEqualTo(KEYCLOAK.issuer());
        assertThat(smart.get("token_endpoint").asText())
                .isEqualTo(KEYCLOAK.tokenEndpoint().toString());
        assertThat(smart.get("authorization_endpoint").asText())
                .isEqualTo(KEYCLOAK.authorizationEndpoint().toString());
        assertThat(smart.get("introspection_endpoint").asText())
                .isEqualTo(KEYCLOAK.introspectionEndpoint().toString());
        HttpResponse<String> keys = HTTP.send(
                HttpRequest.newBuilder(URI.create(smart.get("jwks_uri").asText()))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(keys.body()).get("keys").size()).isPositive();
    }

    @Test
    void withoutToken_401() throws Exception {
        assertThat(get(null, "Patient").statusCode()).isEqualTo(401);
    }

    private static String condition(String id, String patient) {
        return "{\"resourceType\":\"Condition\"," + (id == null ? "" : "\"id\":\"" + id + "\",")
                + "\"code\":{\"text\":\"Asthma\"},\"subject\":{\"reference\":\"Patient/" + patient + "\"}}";
    }

    private static void put(String token, String path, String body) throws Exception {
        HttpResponse<String> response = send(token, "PUT", path, body);
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
    }

    private static HttpResponse<String> get(String token, String path) throws Exception {
        return send(token, "GET", path, null);
    }

    private static HttpResponse<String> send(String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(KEYCLOAK.fhirBaseUrl() + "/" + path))
                .header("Accept", "application/fhir+json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/fhir+json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> ids(HttpResponse<String> bundle) throws IOException {
        assertThat(bundle.statusCode()).as(bundle.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        JsonNode entries = JSON.readTree(bundle.body()).get("entry");
        if (entries != null) {
            entries.forEach(entry -> ids.add(entry.get("resource").get("id").asText()));
        }
        return ids;
    }
}
