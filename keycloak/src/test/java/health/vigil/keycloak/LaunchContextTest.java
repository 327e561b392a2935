package health.vigil.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class LaunchContextTest {

    private static final Function<String, String> ANN = Map.of("fhirPatient", "vigil-demo-patient")::get;

    @Test
    void of_defaultConfiguration_readsFhirPatientAndNeedsBanner() {
        LaunchContext context = LaunchContext.of(Map.of(), ANN);

        assertThat(context.tokenClaims()).containsExactly(Map.entry("patient", "vigil-demo-patient"));
        assertThat(context.tokenResponseParameters())
                .containsOnly(Map.entry("patient", "vigil-demo-patient"), Map.entry("need_patient_banner", true));
    }

    @Test
    void of_configuredAttributeBannerAndStyle_returnsThemInTheTokenResponse() {
        Map<String, String> config = Map.of(
                LaunchContext.PATIENT_ATTRIBUTE, "chartId",
                LaunchContext.NEED_PATIENT_BANNER, "false",
                LaunchContext.STYLE_URL, "https://vigil.example/apps/smart-style.json");

        LaunchContext context = LaunchContext.of(config, Map.of("chartId", "123")::get);

        assertThat(context.tokenClaims()).containsExactly(Map.entry("patient", "123"));
        assertThat(context.tokenResponseParameters())
                .containsOnly(
                        Map.entry("patient", "123"),
                        Map.entry("need_patient_banner", false),
                        Map.entry("smart_style_url", "https://vigil.example/apps/smart-style.json"));
    }

    @Test
    void of_userWithoutPatientAttribute_leavesPatientOut() {
        LaunchContext context = LaunchContext.of(Map.of(), attribute -> null);

        assertThat(context.tokenClaims()).isEmpty();
        assertThat(context.tokenResponseParameters()).containsOnly(Map.entry("need_patient_banner", true));
    }

    @Test
    void of_attributeThatIsNoFhirId_leavesPatientOut() {
        assertThat(LaunchContext.of(Map.of(), Map.of("fhirPatient", "Patient/123")::get)
                        .patient())
                .isEmpty();
        assertThat(LaunchContext.of(Map.of(), Map.of("fhirPatient", "a".repeat(65))::get)
                        .patient())
                .isEmpty();
    }

    @Test
    void problem_validConfiguration_isEmpty() {
        assertThat(LaunchContext.problem(Map.of())).isEmpty();
        assertThat(LaunchContext.problem(Map.of(
                        LaunchContext.NEED_PATIENT_BANNER, "TRUE",
                        LaunchContext.STYLE_URL, "http://localhost:8080/apps/smart-style.json")))
                .isEmpty();
    }

    @Test
    void problem_bannerNotBoolean_namesTheSetting() {
        assertThat(LaunchContext.problem(Map.of(LaunchContext.NEED_PATIENT_BANNER, "yes")))
                .hasValue("smart.need.patient.banner must be true or false");
    }

    @Test
    void problem_styleUrlNotAbsoluteHttp_namesTheSetting() {
        assertThat(LaunchContext.problem(Map.of(LaunchContext.STYLE_URL, "/apps/smart-style.json")))
                .hasValue("smart.style.url must be an absolute http or https URL");
        assertThat(LaunchContext.problem(Map.of(LaunchContext.STYLE_URL, "ftp://host/style.json")))
                .isPresent();
    }
}
