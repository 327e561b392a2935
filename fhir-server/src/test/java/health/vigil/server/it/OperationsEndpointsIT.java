package health.vigil.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** What operators rely on: the capability statement, health probes, metrics and request ids. */
class OperationsEndpointsIT extends ServerIT {

    @Test
    void metadata_returnsR4CapabilityStatementForVigil() throws Exception {
        HttpResponse<String> response = get("/fhir/metadata", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("\"resourceType\":\"CapabilityStatement\"")
                .contains("\"fhirVersion\":\"4.0.1\"")
                .containsPattern("\"software\":\\{\"name\":\"Vigil\",\"version\":\"\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void healthProbes_livenessAndReadinessIncludingDatabase_areUp() throws Exception {
        assertThat(get("/actuator/health/liveness", null).body()).contains("\"status\":\"UP\"");
        HttpResponse<String> readiness = get("/actuator/health/readiness", null);
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void prometheus_exposesJvmHttpAndDatabasePoolMetrics() throws Exception {
        get("/fhir/metadata", null);
        HttpResponse<String> response = get("/actuator/prometheus", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("jvm_memory_used_bytes")
                .contains("http_server_requests_seconds")
                .contains("hikaricp_connections_active");
    }

    @Test
    void requestId_givenByClient_isEchoedOnceOnFhirAndActuatorResponses() throws Exception {
        HttpResponse<String> fhir = get("/fhir/metadata", "trace-abc-123");
        HttpResponse<String> actuator = get("/actuator/health", "trace-def-456");

        assertThat(fhir.headers().allValues("X-Request-ID")).containsExactly("trace-abc-123");
        assertThat(actuator.headers().allValues("X-Request-ID")).containsExactly("trace-def-456");
    }

    @Test
    void requestId_absentOrUnsafe_isGeneratedByServer() throws Exception {
        HttpResponse<String> absent = get("/fhir/metadata", null);
        HttpResponse<String> unsafe = get("/fhir/metadata", "<script>");

        assertThat(absent.headers().allValues("X-Request-ID"))
                .singleElement()
                .asString()
                .isNotBlank();
        assertThat(unsafe.headers().firstValue("X-Request-ID")).get().isNotEqualTo("<script>");
    }

    private HttpResponse<String> get(String path, String requestId) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(serverUrl() + path)).GET();
        if (requestId != null) {
            request.header("X-Request-ID", requestId);
        }
        return http().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
