package health.vigil.interceptors.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.junit.jupiter.api.Test;

class PurposeOfUseTest {

    private final PurposeOfUse purpose = new PurposeOfUse("X-Purpose-Of-Use");

    @Test
    void of_noHeader_isTreatment() {
        assertThat(purpose.of(new SystemRequestDetails())).isEqualTo("TREAT");
    }

    @Test
    void of_codeOrSystemAndCode_isTheCode_andBtgIsEmergencyTreatment() {
        assertThat(purpose.of(request("HRESCH"))).isEqualTo("HRESCH");
        assertThat(purpose.of(request("http://terminology.hl7.org/CodeSystem/v3-ActReason|HPAYMT")))
                .isEqualTo("HPAYMT");
        assertThat(purpose.of(request("BTG"))).isEqualTo("ETREAT");
    }

    @Test
    void of_unknownCodeOrSystem_isRefusedNamingTheHeader() {
        assertThatThrownBy(() -> purpose.of(request("treat-me")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("VGL-1105")
                .hasMessageContaining("X-Purpose-Of-Use");
        assertThatThrownBy(() -> purpose.of(request("http://example.org/purposes|TREAT")))
                .isInstanceOf(InvalidRequestException.class);
    }

    private static SystemRequestDetails request(String header) {
        SystemRequestDetails request = new SystemRequestDetails();
        request.addHeader("X-Purpose-Of-Use", header);
        return request;
    }
}
