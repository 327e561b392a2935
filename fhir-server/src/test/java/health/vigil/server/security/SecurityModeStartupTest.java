package health.vigil.server.security;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.vigil.server.VigilApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The real start-up path refuses unsafe security settings before anything starts: no database, no
 * HAPI, no port (the check runs while the environment is prepared, so this test takes milliseconds).
 */
class SecurityModeStartupTest {

    @Test
    void start_openModeOnAllInterfaces_failsNamingTheSettings() {
        assertThatThrownBy(() -> start("--server.address=0.0.0.0", "--vigil.security.mode=open"))
                .isInstanceOf(InvalidSecuritySettingsException.class)
                .hasMessageContaining("vigil.security.mode=open")
                .hasMessageContaining("server.address is 0.0.0.0");
    }

    @Test
    void start_smartModeWithoutIssuer_failsNamingTheSettings() {
        assertThatThrownBy(() -> start("--server.address=0.0.0.0"))
                .isInstanceOf(InvalidSecuritySettingsException.class)
                .hasMessageContaining("vigil.security.issuer")
                .hasMessageContaining("vigil.security.fhir-base-url");
    }

    private static void start(String... arguments) {
        new SpringApplicationBuilder(VigilApplication.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .run(arguments)
                .close();
    }
}
