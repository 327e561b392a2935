package health.vigil.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.ProtocolMapper;
import org.keycloak.protocol.ProtocolMapperConfigException;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.AccessTokenResponse;

class SmartLaunchContextMapperTest {

    private final SmartLaunchContextMapper mapper = new SmartLaunchContextMapper();

    @Test
    void serviceFile_registersTheMapperForKeycloak() throws IOException {
        try (InputStream services =
                getClass().getResourceAsStream("/META-INF/services/" + ProtocolMapper.class.getName())) {
            assertThat(new String(services.readAllBytes(), StandardCharsets.UTF_8).trim())
                    .isEqualTo(SmartLaunchContextMapper.class.getName());
        }
        assertThat(ServiceLoader.load(ProtocolMapper.class).stream().map(ServiceLoader.Provider::type))
                .contains(SmartLaunchContextMapper.class);
    }

    @Test
    void getConfigProperties_defaults_includeInAccessTokenResponseAndIntrospection() {
        Map<String, Object> defaults = new java.util.HashMap<>();
        for (ProviderConfigProperty property : mapper.getConfigProperties()) {
            defaults.put(property.getName(), property.getDefaultValue());
        }

        assertThat(defaults)
                .containsEntry("smart.patient.attribute", "fhirPatient")
                .containsEntry("smart.need.patient.banner", "true")
                .containsEntry("access.token.claim", "true")
                .containsEntry("access.tokenResponse.claim", "true")
                .containsEntry("introspection.token.claim", "true")
                .containsKey("smart.style.url")
                .doesNotContainKey("id.token.claim");
    }

    @Test
    void setClaim_userWithPatient_putsPatientIntoTokenAndLaunchContextIntoResponse() {
        ProtocolMapperModel model = model(Map.of("smart.style.url", "https://vigil.example/style.json"));
        UserSessionModel session = sessionOf(Map.of("fhirPatient", "vigil-demo-patient"));
        AccessToken token = new AccessToken();
        AccessTokenResponse response = new AccessTokenResponse();

        mapper.setClaim(token, model, session, null, null);
        mapper.setClaim(response, model, session, null, null);

        assertThat(token.getOtherClaims()).containsOnly(Map.entry("patient", "vigil-demo-patient"));
        assertThat(response.getOtherClaims())
                .containsOnly(
                        Map.entry("patient", "vigil-demo-patient"),
                        Map.entry("need_patient_banner", true),
                        Map.entry("smart_style_url", "https://vigil.example/style.json"));
    }

    @Test
    void setClaim_userWithoutPatient_addsNoPatient() {
        AccessToken token = new AccessToken();

        mapper.setClaim(token, model(Map.of()), sessionOf(Map.of()), null, null);

        assertThat(token.getOtherClaims()).doesNotContainKey("patient");
    }

    @Test
    void validateConfig_invalidStyleUrl_isRefused() {
        assertThatThrownBy(
                        () -> mapper.validateConfig(null, null, null, model(Map.of("smart.style.url", "style.json"))))
                .isInstanceOf(ProtocolMapperConfigException.class)
                .hasMessageContaining("smart.style.url");
    }

    private static ProtocolMapperModel model(Map<String, String> config) {
        ProtocolMapperModel model = new ProtocolMapperModel();
        model.setProtocolMapper(SmartLaunchContextMapper.PROVIDER_ID);
        model.setConfig(new java.util.HashMap<>(config));
        return model;
    }

    /** A user session whose user answers getFirstAttribute from the map; nothing else is called. */
    private static UserSessionModel sessionOf(Map<String, String> attributes) {
        UserModel user = (UserModel) Proxy.newProxyInstance(
                UserModel.class.getClassLoader(), new Class<?>[] {UserModel.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getFirstAttribute")) {
                        return attributes.get((String) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return (UserSessionModel) Proxy.newProxyInstance(
                UserSessionModel.class.getClassLoader(),
                new Class<?>[] {UserSessionModel.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getUser")) {
                        return user;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
