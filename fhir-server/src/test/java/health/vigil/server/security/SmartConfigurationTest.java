package health.vigil.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SmartConfigurationTest {

    @Test
    void of_defaults_advertiseS256OnlyAndTheIssuersEndpoints() {
        Map<String, Object> document = SmartConfiguration.of(SecuritySettingsTest.bind(Map.of(
                "vigil.security.issuer", "https://id.example.org/realms/vigil/",
                "vigil.security.fhir-base-url", "https://fhir.example.org/fhir")));

        assertThat(document.get("code_challenge_methods_supported")).isEqualTo(List.of("S256"));
        assertThat(document.get("authorization_endpoint"))
                .isEqualTo("https://id.example.org/realms/vigil/protocol/openid-connect/auth");
        assertThat(document.get("issuer")).isEqualTo("https://id.example.org/realms/vigil/");
        assertThat(document.get("capabilities"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .contains("launch-standalone", "permission-v2");
    }

    @Test
    void defaultScopesSupported_allExistInTheRepositorysRealm() throws Exception {
        Path realmFile = Files.exists(Path.of("../keycloak/realm/vigil-realm.json"))
                ? Path.of("../keycloak/realm/vigil-realm.json")
                : Path.of("keycloak/realm/vigil-realm.json");
        Set<String> realmScopes = new HashSet<>(Set.of("openid"));
        new ObjectMapper()
                .readTree(realmFile.toFile())
                .get("clientScopes")
                .forEach(scope -> realmScopes.add(scope.get("name").asText()));

        assertThat(SecuritySettingsTest.bind(Map.of()).smart().scopesSupported())
                .as("Keycloak refuses a request for a scope it does not know")
                .allMatch(realmScopes::contains);
    }

    @Test
    void of_configuredEndpoint_replacesTheDerivedOne() {
        Map<String, Object> document = SmartConfiguration.of(SecuritySettingsTest.bind(Map.of(
                "vigil.security.issuer", "https://id.example.org",
                "vigil.security.endpoints.token", "https://id.example.org/oauth2/token")));

        assertThat(document.get("token_endpoint")).isEqualTo("https://id.example.org/oauth2/token");
    }
}
