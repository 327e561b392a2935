package health.vigil.interceptors.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import health.vigil.interceptors.api.AccessContext;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessContextTest {

    @Test
    void constructor_absoluteFhirUserAndQualifiedPatient_normalized() {
        AccessContext caller = new AccessContext(
                "sub",
                "app",
                Set.of("openid"),
                Optional.of("Patient/123"),
                Optional.of("https://fhir.example.org/fhir/Practitioner/abc"));

        assertThat(caller.patient()).contains("123");
        assertThat(caller.fhirUser()).contains("Practitioner/abc");
    }

    @Test
    void constructor_blankClaims_empty() {
        AccessContext caller = new AccessContext("sub", "app", Set.of(), Optional.of(" "), Optional.of(""));

        assertThat(caller.patient()).isEmpty();
        assertThat(caller.fhirUser()).isEmpty();
    }
}
