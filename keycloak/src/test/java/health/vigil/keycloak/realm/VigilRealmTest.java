package health.vigil.keycloak.realm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.vigil.keycloak.SmartLaunchContextMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code realm/vigil-realm.json} is complete and consistent: every scope a client may ask for exists,
 * the SMART scopes are exactly the documented list of {@link SmartScopes}, and the settings the SMART
 * flows depend on are there. The real flows run against Keycloak in fhir-server's {@code *KeycloakIT}.
 */
class VigilRealmTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Scopes Keycloak itself answers to without a client scope. */
    private static final Set<String> BUILT_IN = Set.of("openid");

    private static String text;
    private static JsonNode realm;
    private static Map<String, JsonNode> scopes;
    private static Map<String, JsonNode> clients;

    @BeforeAll
    static void readRealm() throws IOException {
        text = Files.readString(RealmScopesGenerator.REALM);
        realm = JSON.readTree(text);
        scopes = byKey(realm.path("clientScopes"), "name");
        clients = byKey(realm.path("clients"), "clientId");
    }

    @Test
    void file_isWhatTheGeneratorWrites() throws IOException {
        assertThat(text)
                .as("realm/vigil-realm.json differs from SmartScopes: run RealmScopesGenerator (see its javadoc)")
                .isEqualTo(RealmScopesGenerator.write(RealmScopesGenerator.generate(realm)));
    }

    @Test
    void clientScopes_haveUniqueNames() {
        assertThat(names(realm.path("clientScopes"), "name")).doesNotHaveDuplicates();
    }

    @Test
    void smartScopes_equalTheDocumentedList_andEachParses() {
        List<String> smart = scopes.keySet().stream()
                .filter(name -> name.contains("/") && !name.equals("launch/patient"))
                .toList();

        assertThat(smart).allSatisfy(name -> assertThat(name).matches(SmartScopes.SCOPE));
        assertThat(smart).containsExactlyInAnyOrderElementsOf(SmartScopes.all());
        assertThat(SmartScopes.all()).hasSize((21 * 5 + 2) + 21 * 5 + 22 * 5 + 5 * 3);
        assertThat(smart)
                .contains(
                        "patient/*.rs",
                        "user/*.cruds",
                        "system/*.rs",
                        "system/Binary.read",
                        "patient/Observation.write");
    }

    @Test
    void clientScopeNames_areValidKeycloakScopeNames() {
        // Keycloak's admin API refuses names with a space, a quote or a backslash (ClientScopeResource).
        assertThat(scopes.keySet()).allSatisfy(name -> assertThat(name).matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]+"));
        assertThat(scopes.values())
                .allSatisfy(
                        scope -> assertThat(scope.path("description").asText()).hasSizeLessThanOrEqualTo(255));
    }

    @Test
    void clients_referOnlyToExistingClientScopes() {
        List<String> referenced = new ArrayList<>();
        referenced.addAll(names(realm.path("defaultDefaultClientScopes")));
        referenced.addAll(names(realm.path("defaultOptionalClientScopes")));
        clients.values().forEach(client -> {
            referenced.addAll(names(client.path("defaultClientScopes")));
            referenced.addAll(names(client.path("optionalClientScopes")));
        });

        assertThat(referenced).isNotEmpty().allSatisfy(name -> assertThat(scopes)
                .containsKey(name));
        assertThat(referenced).doesNotContainAnyElementsOf(BUILT_IN);
    }

    @Test
    void clients_offerTheScopesOfTheirSmartContext() {
        assertThat(optional("vigil-patient-app"))
                .containsExactlyInAnyOrderElementsOf(with(
                        SmartScopes.of(SmartScopes.Context.PATIENT),
                        "fhirUser",
                        "launch/patient",
                        "offline_access",
                        "online_access"));
        for (String clinicianClient : List.of("vigil-clinician-app", "vigil-provider")) {
            assertThat(optional(clinicianClient))
                    .as(clinicianClient)
                    .containsExactlyInAnyOrderElementsOf(with(
                            SmartScopes.of(SmartScopes.Context.USER),
                            "fhirUser",
                            "launch/patient",
                            "offline_access",
                            "online_access"));
        }
        assertThat(optional("vigil-backend"))
                .containsExactlyInAnyOrderElementsOf(SmartScopes.of(SmartScopes.Context.SYSTEM));
        assertThat(optional("vigil-fhir-server")).isEmpty();
    }

    @Test
    void defaultScopes_keepBasicAndTheFhirAudience() {
        assertThat(names(realm.path("defaultDefaultClientScopes"))).contains("basic", "vigil-fhir-audience");
        for (String client : List.of("vigil-patient-app", "vigil-clinician-app", "vigil-provider", "vigil-backend")) {
            assertThat(names(clients.get(client).path("defaultClientScopes")))
                    .as(client)
                    .contains("basic", "vigil-fhir-audience");
        }
        assertThat(mapperTypes("basic")).contains("oidc-sub-mapper");
    }

    @Test
    void audienceScope_addsTheFhirBaseUrlAndTheResourceServerClient() {
        List<JsonNode> mappers = list(scopes.get("vigil-fhir-audience").path("protocolMappers")).stream()
                .filter(mapper -> mapper.path("protocolMapper").asText().equals("oidc-audience-mapper"))
                .toList();

        assertThat(mappers).hasSize(2).allSatisfy(mapper -> {
            assertThat(mapper.path("protocolMapper").asText()).isEqualTo("oidc-audience-mapper");
            assertThat(mapper.path("config").path("access.token.claim").asText())
                    .isEqualTo("true");
            assertThat(mapper.path("config").path("introspection.token.claim").asText())
                    .isEqualTo("true");
        });
        assertThat(mappers)
                .extracting(mapper ->
                        mapper.path("config").path("included.custom.audience").asText())
                .contains("${VIGIL_FHIR_BASE_URL:http://localhost:8080/fhir}");
        assertThat(mappers)
                .extracting(mapper ->
                        mapper.path("config").path("included.client.audience").asText())
                .contains("vigil-fhir-server");
        assertThat(clients).containsKey("vigil-fhir-server");
    }

    @Test
    void audienceScope_carriesRealmRoles_soTheServerCanAllowBreakGlass() {
        JsonNode roles = list(scopes.get("vigil-fhir-audience").path("protocolMappers")).stream()
                .filter(mapper -> mapper.path("protocolMapper").asText().equals("oidc-usermodel-realm-role-mapper"))
                .findFirst()
                .orElseThrow();
        assertThat(roles.path("config").path("claim.name").asText()).isEqualTo("realm_access.roles");
        assertThat(roles.path("config").path("access.token.claim").asText()).isEqualTo("true");
        assertThat(roles.path("config").path("introspection.token.claim").asText())
                .isEqualTo("true");
        assertThat(list(realm.path("roles").path("realm")))
                .extracting(role -> role.path("name").asText())
                .contains("vigil-break-glass");
        JsonNode drSmith = list(realm.path("users")).stream()
                .filter(user -> user.path("username").asText().equals("dr.smith"))
                .findFirst()
                .orElseThrow();
        assertThat(list(drSmith.path("realmRoles")))
                .extracting(JsonNode::asText)
                .contains("vigil-break-glass");
    }

    @Test
    void launchPatientScope_carriesTheSmartLaunchContextMapper() {
        JsonNode mapper =
                list(scopes.get("launch/patient").path("protocolMappers")).get(0);

        assertThat(mapper.path("protocolMapper").asText()).isEqualTo(SmartLaunchContextMapper.PROVIDER_ID);
        assertThat(mapper.path("config").path("smart.patient.attribute").asText())
                .isEqualTo("fhirPatient");
        assertThat(mapper.path("config").path("access.tokenResponse.claim").asText())
                .isEqualTo("true");
        assertThat(mapperTypes("fhirUser")).containsExactly("oidc-usermodel-attribute-mapper");
    }

    @Test
    void browserClients_arePublicOrSecretWithPkceS256AndAuthorizationCodeOnly() {
        for (String id : List.of("vigil-patient-app", "vigil-clinician-app", "vigil-provider")) {
            JsonNode client = clients.get(id);
            assertThat(client.path("attributes")
                            .path("pkce.code.challenge.method")
                            .asText())
                    .as(id)
                    .isEqualTo("S256");
            assertThat(client.path("standardFlowEnabled").asBoolean()).as(id).isTrue();
            assertThat(client.path("implicitFlowEnabled").asBoolean()).as(id).isFalse();
            assertThat(client.path("directAccessGrantsEnabled").asBoolean())
                    .as(id)
                    .isFalse();
            assertThat(client.path("serviceAccountsEnabled").asBoolean()).as(id).isFalse();
            assertThat(names(client.path("redirectUris"))).as(id).allSatisfy(uri -> assertThat(uri)
                    .startsWith("${VIGIL_PUBLIC_URL:http://localhost:8080}/apps/"));
        }
        assertThat(clients.get("vigil-patient-app").path("publicClient").asBoolean())
                .isTrue();
        assertThat(clients.get("vigil-clinician-app").path("publicClient").asBoolean())
                .isTrue();
        assertThat(clients.get("vigil-provider").path("publicClient").asBoolean())
                .isFalse();
    }

    @Test
    void backendClient_usesClientCredentialsWithPrivateKeyJwt() throws IOException {
        JsonNode backend = clients.get("vigil-backend");
        JsonNode attributes = backend.path("attributes");

        assertThat(backend.path("clientAuthenticatorType").asText()).isEqualTo("client-jwt");
        assertThat(backend.path("serviceAccountsEnabled").asBoolean()).isTrue();
        assertThat(backend.path("standardFlowEnabled").asBoolean()).isFalse();
        assertThat(attributes.path("token.endpoint.auth.signing.alg").asText()).isEqualTo("RS384");
        assertThat(attributes.path("token.endpoint.auth.signing.max.exp").asInt())
                .as("SMART assertions expire up to 5 minutes out and need no iat")
                .isGreaterThanOrEqualTo(300);
        assertThat(attributes.path("use.jwks.string").asText()).isEqualTo("true");
        JsonNode jwks = JSON.readTree(attributes.path("jwks.string").asText());
        assertThat(list(jwks.path("keys"))).singleElement().satisfies(key -> {
            assertThat(key.path("kty").asText()).isEqualTo("RSA");
            assertThat(key.has("d")).as("only the public key is in the realm").isFalse();
        });
    }

    @Test
    void users_haveOnlyDeclaredAttributes_andTheSmartOnesAreAdminOnly() throws IOException {
        JsonNode profile = JSON.readTree(realm.path("components")
                .path("org.keycloak.userprofile.UserProfileProvider")
                .path(0)
                .path("config")
                .path("kc.user.profile.config")
                .path(0)
                .asText());
        Map<String, JsonNode> declared = byKey(profile.path("attributes"), "name");

        assertThat(declared).containsKeys("username", "email", "firstName", "lastName", "fhirUser", "fhirPatient");
        for (String smart : List.of("fhirUser", "fhirPatient")) {
            assertThat(names(declared.get(smart).path("permissions").path("edit")))
                    .as(smart)
                    .containsExactly("admin");
            assertThat(names(declared.get(smart).path("permissions").path("view")))
                    .as(smart)
                    .containsExactly("admin");
        }
        Map<String, JsonNode> users = byKey(realm.path("users"), "username");
        assertThat(users).containsOnlyKeys("patient.ann", "dr.smith");
        users.values().forEach(user -> assertThat(user.path("attributes").fieldNames())
                .toIterable()
                .allSatisfy(attribute -> assertThat(declared).containsKey(attribute)));
        assertThat(users.get("patient.ann")
                        .path("attributes")
                        .path("fhirUser")
                        .path(0)
                        .asText())
                .isEqualTo("Patient/vigil-demo-patient");
        assertThat(users.get("patient.ann")
                        .path("attributes")
                        .path("fhirPatient")
                        .path(0)
                        .asText())
                .isEqualTo("vigil-demo-patient");
        assertThat(users.get("dr.smith")
                        .path("attributes")
                        .path("fhirUser")
                        .path(0)
                        .asText())
                .isEqualTo("Practitioner/vigil-demo-practitioner");
    }

    @Test
    void placeholders_areOnlyTheDocumentedEnvironmentVariablesWithDefaults() {
        Set<String> placeholders = new TreeSet<>();
        Matcher matcher = Pattern.compile("\\$\\{([^}]*)}").matcher(text);
        while (matcher.find()) {
            placeholders.add(matcher.group(1));
        }

        assertThat(placeholders)
                .containsExactlyInAnyOrder(
                        "VIGIL_PUBLIC_URL:http://localhost:8080", "VIGIL_FHIR_BASE_URL:http://localhost:8080/fhir");
    }

    @Test
    void tokens_areShortLivedAndRefreshTokensRotate() {
        assertThat(realm.path("accessTokenLifespan").asInt()).isEqualTo(300);
        assertThat(realm.path("revokeRefreshToken").asBoolean()).isTrue();
    }

    private static List<String> optional(String clientId) {
        return names(clients.get(clientId).path("optionalClientScopes"));
    }

    private static List<String> mapperTypes(String scope) {
        return list(scopes.get(scope).path("protocolMappers")).stream()
                .map(mapper -> mapper.path("protocolMapper").asText())
                .toList();
    }

    private static Set<String> with(List<String> scopes, String... more) {
        Set<String> all = new LinkedHashSet<>(scopes);
        all.addAll(List.of(more));
        return all;
    }

    private static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    private static List<String> names(JsonNode array) {
        return list(array).stream().map(JsonNode::asText).toList();
    }

    private static List<String> names(JsonNode array, String field) {
        return list(array).stream().map(node -> node.path(field).asText()).toList();
    }

    private static Map<String, JsonNode> byKey(JsonNode array, String field) {
        Map<String, JsonNode> map = new TreeMap<>();
        list(array).forEach(node -> map.put(node.path(field).asText(), node));
        return map;
    }
}
