package health.vigil.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.vigil.server.security.VigilSecurityProperties.Mode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The security configuration test: which mode the server runs in, and which settings stop it. */
class SecuritySettingsTest {

    private static final Map<String, String> SMART = Map.of(
            "vigil.security.issuer", "https://id.example.org/realms/vigil",
            "vigil.security.fhir-base-url", "https://fhir.example.org/fhir",
            "vigil.security.introspection.client-id", "vigil-fhir-server",
            "vigil.security.introspection.client-secret", "secret");

    @Test
    void effectiveMode_unsetOnLoopback_isOpen() {
        assertThat(SecuritySettings.effectiveMode(bind(Map.of()), "127.0.0.1")).isEqualTo(Mode.OPEN);
        assertThat(SecuritySettings.effectiveMode(bind(Map.of()), "::1")).isEqualTo(Mode.OPEN);
        assertThat(SecuritySettings.effectiveMode(bind(Map.of()), "localhost")).isEqualTo(Mode.OPEN);
    }

    @Test
    void effectiveMode_unsetOnAllInterfaces_isSmartAndNeedsIssuer() {
        assertThatThrownBy(() -> SecuritySettings.effectiveMode(bind(Map.of()), "0.0.0.0"))
                .isInstanceOf(InvalidSecuritySettingsException.class)
                .hasMessageContaining("vigil.security.issuer must be set")
                .hasMessageContaining("vigil.security.fhir-base-url must be set");
        assertThat(SecuritySettings.effectiveMode(bind(SMART), "0.0.0.0")).isEqualTo(Mode.SMART);
        assertThat(SecuritySettings.effectiveMode(bind(SMART), null)).isEqualTo(Mode.SMART);
    }

    @Test
    void effectiveMode_openOnNonLoopback_refusedNamingTheSetting() {
        Map<String, String> open = Map.of("vigil.security.mode", "open");

        assertThatThrownBy(() -> SecuritySettings.effectiveMode(bind(open), "0.0.0.0"))
                .isInstanceOf(InvalidSecuritySettingsException.class)
                .hasMessageContaining("vigil.security.mode=open")
                .hasMessageContaining("server.address is 0.0.0.0");
        assertThatThrownBy(() -> SecuritySettings.effectiveMode(bind(open), ""))
                .hasMessageContaining("(every interface)");
        assertThatThrownBy(() -> SecuritySettings.effectiveMode(bind(open), "192.168.1.20"))
                .isInstanceOf(InvalidSecuritySettingsException.class);
    }

    @Test
    void effectiveMode_smartOnLoopback_isSmart() {
        Map<String, String> smart = new HashMap<>(SMART);
        smart.put("vigil.security.mode", "smart");

        assertThat(SecuritySettings.effectiveMode(bind(smart), "127.0.0.1")).isEqualTo(Mode.SMART);
    }

    @Test
    void effectiveMode_introspectionWithoutClient_refused() {
        Map<String, String> smart = new HashMap<>(SMART);
        smart.remove("vigil.security.introspection.client-secret");

        assertThatThrownBy(() -> SecuritySettings.effectiveMode(bind(smart), "0.0.0.0"))
                .hasMessageContaining("vigil.security.introspection.client-secret");
        smart.put("vigil.security.introspection.enabled", "false");
        assertThat(SecuritySettings.effectiveMode(bind(smart), "0.0.0.0")).isEqualTo(Mode.SMART);
    }

    @Test
    void effectiveMode_unsafeAlgorithmsOrBadUrls_refused() {
        Map<String, String> smart = new HashMap<>(SMART);
        smart.put("vigil.security.jws-algorithms", "RS256,none,HS256");
        smart.put("vigil.security.fhir-base-url", "fhir.example.org/fhir");

        assertThatThrownBy(() -> SecuritySettings.effectiveMode(bind(smart), "0.0.0.0"))
                .hasMessageContaining("not 'none'")
                .hasMessageContaining("not 'HS256'")
                .hasMessageContaining("vigil.security.fhir-base-url must be an http(s) URL");
    }

    @Test
    void isLoopback_onlyLoopbackAddresses() {
        assertThat(SecuritySettings.isLoopback("127.0.0.1")).isTrue();
        assertThat(SecuritySettings.isLoopback("127.0.0.2")).isTrue();
        assertThat(SecuritySettings.isLoopback("0.0.0.0")).isFalse();
        assertThat(SecuritySettings.isLoopback("10.0.0.1")).isFalse();
        assertThat(SecuritySettings.isLoopback(" ")).isFalse();
        assertThat(SecuritySettings.isLoopback(null)).isFalse();
    }

    @Test
    void endpoints_unset_followKeycloakLayoutWithBackchannelForOwnCalls() {
        Map<String, String> smart = new HashMap<>(SMART);
        smart.put("vigil.security.issuer-backchannel-url", "http://keycloak:8080/realms/vigil");
        VigilSecurityProperties properties = bind(smart);

        assertThat(properties.tokenEndpoint())
                .isEqualTo("https://id.example.org/realms/vigil/protocol/openid-connect/token");
        assertThat(properties.jwksEndpoint())
                .isEqualTo("https://id.example.org/realms/vigil/protocol/openid-connect/certs");
        assertThat(properties.jwksBackchannel())
                .isEqualTo("http://keycloak:8080/realms/vigil/protocol/openid-connect/certs");
        assertThat(properties.introspectionBackchannel())
                .isEqualTo("http://keycloak:8080/realms/vigil/protocol/openid-connect/token/introspect");
    }

    static VigilSecurityProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("vigil.security", VigilSecurityProperties.class);
    }
}
