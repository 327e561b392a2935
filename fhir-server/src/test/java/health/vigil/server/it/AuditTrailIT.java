package health.vigil.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The audit trail through the HTTP API: every request, allowed, refused or failed, leaves exactly one
 * AuditEvent with the right outcome and agent; the chain verifies and {@code $verify-audit} finds a
 * record edited in the database; a patient reads who accessed their data; nothing in the trail can be
 * changed through the API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditTrailIT extends ServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String run = "au" + UUID.randomUUID().toString().substring(0, 8);
    private String patientToken;
    private String practitionerToken;

    @Autowired
    DataSource dataSource;

    @BeforeAll
    void createData() throws Exception {
        put("Patient/" + id("patient"), "{\"resourceType\":\"Patient\",\"id\":\"" + id("patient") + "\"}");
        put("Patient/" + id("other"), "{\"resourceType\":\"Patient\",\"id\":\"" + id("other") + "\"}");
        put(
                "Observation/" + id("hr"),
                "{\"resourceType\":\"Observation\",\"id\":\"" + id("hr")
                        + "\",\"status\":\"final\",\"code\":{\"text\":\"note\"},\"subject\":{\"reference\":\"Patient/"
                        + id("patient") + "\"},\"valueString\":\"x\"}");
        patientToken = TestIssuer.shared()
                .token(FHIR_BASE, "patient/*.rs")
                .patient(id("patient"))
                .fhirUser("Patient/" + id("patient"))
                .claim("azp", id("patient-app"))
                .sign();
        practitionerToken = TestIssuer.shared()
                .token(FHIR_BASE, "user/Observation.rs", "user/Patient.rs")
                .fhirUser("Practitioner/" + id("dr"))
                .claim("azp", id("clinician-app"))
                .sign();
    }

    @Test
    void everyRequest_allowedRefusedOrFailed_hasExactlyOneAuditEvent_andTheChainVerifies() throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        // request id -> expected outcome code and the agent the event must name
        Map<String, String[]> expected = new LinkedHashMap<>();
        expect(
                expected,
                "0",
                "Practitioner/" + id("dr"),
                request(practitionerToken, "GET", "Observation/" + id("hr"), null),
                200);
        expect(
                expected,
                "0",
                "Practitioner/" + id("dr"),
                request(practitionerToken, "GET", "Observation?patient=" + id("patient"), null),
                200);
        expect(
                expected,
                "4",
                "Practitioner/" + id("dr"),
                request(practitionerToken, "GET", "Condition?patient=" + id("patient"), null),
                403);
        expect(
                expected,
                "4",
                "Practitioner/" + id("dr"),
                request(practitionerToken, "GET", "Observation/" + id("missing"), null),
                404);
        expect(
                expected,
                "4",
                "Practitioner/" + id("dr"),
                request(practitionerToken, "GET", "Observation?not-a-parameter=1", null),
                400);
        expect(expected, "4", null, request(null, "GET", "Observation/" + id("hr"), null), 401);
        expect(expected, "4", null, request("not-a-token", "GET", "Observation/" + id("hr"), null), 401);
        expect(
                expected,
                "0",
                id("test-admin"),
                request(
                        admin(),
                        "POST",
                        "Observation",
                        "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"n\"},\"subject\":"
                                + "{\"reference\":\"Patient/" + id("patient") + "\"},\"valueString\":\"y\"}"),
                201);
        expect(
                expected,
                "4",
                id("test-admin"),
                request(admin(), "PUT", "AuditEvent/1", "{\"resourceType\":\"AuditEvent\",\"id\":\"1\"}"),
                405);
        expect(expected, "4", id("test-admin"), request(admin(), "POST", "Observation", "{not json"), 400);
        // A reference to a contained resource names no stored patient; the event is written all the same.
        expect(
                expected,
                "0",
                id("test-admin"),
                request(
                        admin(),
                        "POST",
                        "Observation",
                        "{\"resourceType\":\"Observation\",\"contained\":[{\"resourceType\":\"Patient\",\"id\":\"p1\"}],"
                                + "\"status\":\"final\",\"code\":{\"text\":\"n\"},\"subject\":{\"reference\":\"#p1\"},"
                                + "\"valueString\":\"z\"}"),
                201);
        expect(
                expected,
                "0",
                "Patient/" + id("patient"),
                request(patientToken, "GET", "Patient/" + id("patient"), null),
                200);

        Map<String, JsonNode> events = eventsByRequestId(start);
        for (Map.Entry<String, String[]> entry : expected.entrySet()) {
            JsonNode event = events.get(entry.getKey());
            assertThat(event).as("the audit event of request " + entry.getKey()).isNotNull();
            assertThat(event.get("outcome").asText()).as(entry.getKey()).isEqualTo(entry.getValue()[0]);
            if (entry.getValue()[1] != null) {
                assertThat(event.get("agent").toString()).as(entry.getKey()).contains(entry.getValue()[1]);
            }
        }
        assertThat(countOccurrences(start, expected.keySet()))
                .as("exactly one event per request")
                .isEqualTo(expected.size());
        assertThat(verify().get("intact")).isEqualTo("true");
    }

    @Test
    void verifyAudit_recordEditedInTheDatabase_isFoundAsTheFirstBrokenLink() throws Exception {
        request(practitionerToken, "GET", "Observation/" + id("hr"), null);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        long sequence = jdbc.queryForObject("SELECT MAX(SEQ) FROM VGL_AUDIT_EVENT", Long.class);
        String original =
                jdbc.queryForObject("SELECT CONTENT FROM VGL_AUDIT_EVENT WHERE SEQ = ?", String.class, sequence);
        String edited = original.replace("\"outcome\":\"0\"", "\"outcome\":\"4\"");
        assertThat(edited).isNotEqualTo(original);
        jdbc.update("UPDATE VGL_AUDIT_EVENT SET CONTENT = ? WHERE SEQ = ?", edited, sequence);
        try {
            Map<String, String> broken = verify();
            assertThat(broken.get("intact")).isEqualTo("false");
            assertThat(broken.get("brokenAt")).isEqualTo(Long.toString(sequence));
            assertThat(broken.get("brokenEvent")).isEqualTo("AuditEvent/" + sequence);
            assertThat(broken.get("reason")).contains("content does not match its hash");
        } finally {
            jdbc.update("UPDATE VGL_AUDIT_EVENT SET CONTENT = ? WHERE SEQ = ?", original, sequence);
        }
        assertThat(verify().get("intact")).as("restored").isEqualTo("true");
    }

    @Test
    void patient_readsWhoAccessedTheirData_andNoOneElses() throws Exception {
        HttpResponse<String> read = request(practitionerToken, "GET", "Observation/" + id("hr"), null);
        assertThat(read.statusCode()).isEqualTo(200);
        String requestId = read.headers().firstValue("X-Request-ID").orElseThrow();

        HttpResponse<String> report =
                request(patientToken, "GET", "AuditEvent?patient=" + id("patient") + "&_count=200", null);
        assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
        JsonNode practitionerRead = null;
        for (JsonNode entry : JSON.readTree(report.body()).path("entry")) {
            if (requestId.equals(requestId(entry.get("resource")))) {
                practitionerRead = entry.get("resource");
            }
        }
        assertThat(practitionerRead)
                .as("the practitioner's read is in the patient's report")
                .isNotNull();
        assertThat(practitionerRead.get("agent").toString()).contains("Practitioner/" + id("dr"));
        assertThat(practitionerRead.get("entity").toString()).contains("Observation/" + id("hr"));

        HttpResponse<String> others = request(patientToken, "GET", "AuditEvent?patient=" + id("other"), null);
        assertThat(others.statusCode()).as(others.body()).isEqualTo(403);
    }

    @Test
    void auditEvents_cannotBeChangedOrRemovedThroughTheApi() throws Exception {
        request(admin(), "GET", "Patient/" + id("patient"), null);
        JsonNode newest = JSON.readTree(
                        request(admin(), "GET", "AuditEvent?_count=1", null).body())
                .get("entry")
                .get(0)
                .get("resource");
        String id = newest.get("id").asText();
        for (String method : List.of("PUT", "DELETE", "PATCH")) {
            HttpResponse<String> response = request(
                    admin(),
                    method,
                    "AuditEvent/" + id,
                    method.equals("PATCH")
                            ? "[{\"op\":\"replace\",\"path\":\"/outcome\",\"value\":\"4\"}]"
                            : method.equals("PUT") ? newest.toString() : null);
            assertThat(response.statusCode()).as(method + " " + response.body()).isEqualTo(405);
            assertThat(response.body()).contains("VGL-1109");
        }
        HttpResponse<String> again = request(admin(), "GET", "AuditEvent/" + id, null);
        assertThat(JSON.readTree(again.body()).get("outcome").asText())
                .isEqualTo(newest.get("outcome").asText());
    }

    // ---- helpers ----

    private String admin() {
        return TestIssuer.shared()
                .token(FHIR_BASE, "system/*.cruds")
                .claim("azp", id("test-admin"))
                .sign();
    }

    private void expect(
            Map<String, String[]> expected, String outcome, String agent, HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        expected.put(response.headers().firstValue("X-Request-ID").orElseThrow(), new String[] {outcome, agent});
    }

    private Map<String, JsonNode> eventsByRequestId(Instant since) throws Exception {
        Map<String, JsonNode> events = new HashMap<>();
        for (JsonNode event : eventsSince(since)) {
            String requestId = requestId(event);
            if (requestId != null) {
                events.put(requestId, event);
            }
        }
        return events;
    }

    private long countOccurrences(Instant since, java.util.Set<String> requestIds) throws Exception {
        return eventsSince(since).stream()
                .filter(event -> requestIds.contains(requestId(event)))
                .count();
    }

    private List<JsonNode> eventsSince(Instant since) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        HttpResponse<String> search = request(admin(), "GET", "AuditEvent?date=ge" + since + "&_count=1000", null);
        assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
        JSON.readTree(search.body()).path("entry").forEach(entry -> events.add(entry.get("resource")));
        return events;
    }

    private static String requestId(JsonNode event) {
        for (JsonNode entity : event.path("entity")) {
            if ("XrequestId".equals(entity.path("type").path("code").asText())) {
                return entity.path("what").path("identifier").path("value").asText();
            }
        }
        return null;
    }

    private Map<String, String> verify() throws Exception {
        HttpResponse<String> response = request(admin(), "GET", "$verify-audit", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, String> values = new HashMap<>();
        for (JsonNode parameter : JSON.readTree(response.body()).get("parameter")) {
            JsonNode value = parameter.has("valueReference")
                    ? parameter.get("valueReference").get("reference")
                    : parameter.has("valueBoolean") ? parameter.get("valueBoolean") : parameter.get("valueString");
            values.put(parameter.get("name").asText(), value.asText());
        }
        return values;
    }

    private void put(String path, String body) throws Exception {
        HttpResponse<String> response = fhirPut(path, body);
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
    }

    private HttpResponse<String> request(String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fhirBase() + "/" + path.replace("|", "%7C")))
                .header("Accept", "application/fhir+json")
                .header("X-Request-ID", run + UUID.randomUUID().toString().substring(0, 12))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header(
                    "Content-Type", method.equals("PATCH") ? "application/json-patch+json" : "application/fhir+json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String id(String name) {
        return run + "-" + name;
    }
}
