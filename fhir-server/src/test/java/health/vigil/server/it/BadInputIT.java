package health.vigil.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Bad input gets a 4xx with an OperationOutcome that names the problem, nothing of it is stored, and
 * the server keeps serving.
 */
class BadInputIT extends ServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IDENTIFIER_SYSTEM = "http://example.org/vigil-it";

    @Test
    void create_malformedJson_400WithOutcomeAndNothingStored() throws Exception {
        String family = family();
        HttpResponse<String> response =
                fhirPost("Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\"");

        assertOutcome(response, 400, "");
        assertNothingStored(family);
    }

    @Test
    void create_bodyOfAnotherResourceType_400NamingBothTypes() throws Exception {
        HttpResponse<String> response = fhirPost(
                "Patient", "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"}}");

        assertOutcome(response, 400, "Observation");
    }

    @Test
    void create_unknownResourceType_4xxNamingTheType() throws Exception {
        HttpResponse<String> response = fhirPost("Spaceship", "{\"resourceType\":\"Spaceship\"}");

        assertThat(response.statusCode()).isBetween(400, 499);
        assertThat(outcomeText(response)).contains("Spaceship");
    }

    @Test
    void create_referenceToMissingResource_4xxNamingTheReferenceAndNothingStored() throws Exception {
        String missing = "Patient/missing-" + UUID.randomUUID().toString().substring(0, 8);
        String marker = "bad-ref-" + UUID.randomUUID();
        HttpResponse<String> response = fhirPost(
                "Observation",
                "{\"resourceType\":\"Observation\",\"status\":\"final\",\"identifier\":[{\"system\":\""
                        + IDENTIFIER_SYSTEM + "\",\"value\":\"" + marker + "\"}],\"code\":{\"text\":\"x\"},"
                        + "\"subject\":{\"reference\":\"" + missing + "\"}}");

        assertThat(response.statusCode()).isBetween(400, 499);
        assertThat(outcomeText(response)).contains(missing);
        assertNoObservation(marker);
    }

    @Test
    void create_payloadOverTheLimit_413WithOutcomeAndNothingStored() throws Exception {
        String family = family();
        // Larger than the default 32 MB limit.
        String padding = "x".repeat(33 * 1024 * 1024);
        HttpResponse<String> response = fhirPost(
                "Patient",
                "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\",\"given\":[\"" + padding
                        + "\"]}]}");

        assertOutcome(response, 413, "VGL-1001");
        assertNothingStored(family);
    }

    @Test
    void create_chunkedBodies_overLimitRefused413_withinLimitStored() throws Exception {
        String family = family();
        String big = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\",\"given\":[\""
                + "x".repeat(33 * 1024 * 1024) + "\"]}]}";
        String small = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\"}]}";

        HttpResponse<String> refused = postChunked(big);
        HttpResponse<String> stored = postChunked(small);

        assertOutcome(refused, 413, "VGL-1001");
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        HttpResponse<String> search = fhirGet("Patient?family:exact=" + family + "&_summary=count");
        assertThat(JSON.readTree(search.body()).get("total").asInt()).isEqualTo(1);
    }

    /** A POST without Content-Length (chunked transfer encoding). */
    private HttpResponse<String> postChunked(String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return http().send(
                        authorized(fhirBase() + "/Patient")
                                .header("Content-Type", "application/fhir+json")
                                .header("Accept", "application/fhir+json")
                                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void create_invalidVitalSign_422WithOutcomeAndNothingStored() throws Exception {
        String patient = created(
                fhirPost("Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family() + "\"}]}"));
        String marker = "vs-" + UUID.randomUUID();
        String heartRateInKilograms = "{\"resourceType\":\"Observation\",\"status\":\"final\","
                + "\"identifier\":[{\"system\":\"" + IDENTIFIER_SYSTEM + "\",\"value\":\"" + marker + "\"}],"
                + "\"category\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":\"vital-signs\"}]}],"
                + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\"}]},"
                + "\"subject\":{\"reference\":\"" + patient + "\"},\"effectiveDateTime\":\"2024-01-01T10:00:00Z\","
                + "\"valueQuantity\":{\"value\":72,\"unit\":\"kg\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"kg\"}}";

        HttpResponse<String> response = fhirPost("Observation", heartRateInKilograms);

        assertOutcome(response, 422, "VGL-1002");
        assertThat(outcomeText(response)).contains("/min");
        assertNoObservation(marker);
        HttpResponse<String> fixed = fhirPost("Observation", heartRateInKilograms.replace("\"kg\"", "\"/min\""));
        assertThat(fixed.statusCode()).isEqualTo(201);
    }

    @Test
    void afterBadInput_serverKeepsServing() throws Exception {
        fhirPost("Patient", "{not json");
        HttpResponse<String> metadata = fhirGet("metadata");

        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(metadata.body()).contains("CapabilityStatement");
    }

    private static String family() {
        return "Bad-" + UUID.randomUUID();
    }

    private void assertNoObservation(String marker) throws Exception {
        HttpResponse<String> search = fhirGet("Observation?identifier="
                + URLEncoder.encode(IDENTIFIER_SYSTEM + "|" + marker, StandardCharsets.UTF_8) + "&_summary=count");
        assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
        assertThat(JSON.readTree(search.body()).get("total").asInt()).isZero();
    }

    private void assertNothingStored(String family) throws Exception {
        HttpResponse<String> search = fhirGet("Patient?family:exact=" + family + "&_summary=count");
        assertThat(JSON.readTree(search.body()).get("total").asInt()).isZero();
    }

    private static void assertOutcome(HttpResponse<String> response, int status, String mentions) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(outcomeText(response)).contains(mentions);
    }

    private static String outcomeText(HttpResponse<String> response) throws Exception {
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("resourceType").asText()).as(response.body()).isEqualTo("OperationOutcome");
        assertThat(body.path("issue")).isNotEmpty();
        return body.get("issue").toString();
    }

    private static String created(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(response.body());
        return body.get("resourceType").asText() + "/" + body.get("id").asText();
    }
}
