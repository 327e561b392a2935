package health.vigil.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Subscription notifications under consent: a practitioner's REST-hook Subscription is told about
 * an Observation of a patient whose Consent does not restrict them, and not about one of a patient
 * whose Consent denies them; the requester stamp on the Subscription is the server's, not the client's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubscriptionConsentIT extends ServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STAMP = "https://vigil.health/fhir/StructureDefinition/subscription-requester-";

    private final String run = "sc" + UUID.randomUUID().toString().substring(0, 8);
    private final List<String> notified = new CopyOnWriteArrayList<>();
    private HttpServer receiver;
    private String practitionerToken;

    @BeforeAll
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            notified.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        put("Practitioner/" + id("dr"), "{\"resourceType\":\"Practitioner\",\"id\":\"" + id("dr") + "\"}");
        put("Patient/" + id("open"), "{\"resourceType\":\"Patient\",\"id\":\"" + id("open") + "\"}");
        put("Patient/" + id("private"), "{\"resourceType\":\"Patient\",\"id\":\"" + id("private") + "\"}");
        put(
                "Consent/" + id("consent"),
                "{\"resourceType\":\"Consent\",\"id\":\"" + id("consent") + "\",\"status\":\"active\","
                        + "\"scope\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/consentscope\","
                        + "\"code\":\"patient-privacy\"}]},\"category\":[{\"coding\":[{\"system\":\"http://loinc.org\","
                        + "\"code\":\"59284-0\"}]}],\"patient\":{\"reference\":\"Patient/" + id("private") + "\"},"
                        + "\"policy\":[{\"uri\":\"https://vigil.health/fhir/policy/test\"}],\"provision\":{\"type\":\"deny\","
                        + "\"actor\":[{\"role\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ParticipationType\","
                        + "\"code\":\"IRCP\"}]},\"reference\":{\"reference\":\"Practitioner/" + id("dr") + "\"}}]}}");
        practitionerToken = TestIssuer.shared()
                .token(FHIR_BASE, "user/*.cruds")
                .fhirUser("Practitioner/" + id("dr"))
                .claim("azp", id("app"))
                .sign();
    }

    @AfterAll
    void stop() throws Exception {
        receiver.stop(0);
        http().send(
                        authorized(fhirBase() + "/Consent/" + id("consent"))
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
    }

    @Autowired
    private IInterceptorService storageInterceptors;

    /** The notifications below reach the hook only through the prefilter that drops unmatchable changes. */
    @Test
    void subscriptionPrefilter_isInFrontOfMatching() {
        assertThat(storageInterceptors.getAllRegisteredInterceptors())
                .extracting(interceptor -> interceptor.getClass().getSimpleName())
                .contains("SubscriptionPrefilter");
    }

    @Test
    void notification_ofDataTheCreatorMayNotSee_isNotSent_andTheStampIsTheServers() throws Exception {
        String subscription = "{\"resourceType\":\"Subscription\",\"status\":\"requested\",\"reason\":\"test\","
                + "\"criteria\":\"Observation?code=http://example.org/codes|" + run + "\","
                + "\"channel\":{\"type\":\"rest-hook\",\"endpoint\":\"http://127.0.0.1:"
                + receiver.getAddress().getPort()
                + "/hook\",\"payload\":\"application/fhir+json\",\"extension\":[{\"url\":\"" + STAMP
                + "purpose\",\"valueString\":\"ETREAT\"},{\"url\":\"" + STAMP
                + "actor\",\"valueString\":\"Practitioner/forged\"}]}}";
        HttpResponse<String> created = http().send(
                        HttpRequest.newBuilder(URI.create(fhirBase() + "/Subscription"))
                                .header("Authorization", "Bearer " + practitionerToken)
                                .header("Content-Type", "application/fhir+json")
                                .header("Accept", "application/fhir+json")
                                .POST(HttpRequest.BodyPublishers.ofString(subscription))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).get("id").asText();
        String stored = awaitActive(id);
        assertThat(stored)
                .contains("Practitioner/" + id("dr"))
                .doesNotContain("Practitioner/forged")
                .doesNotContain("ETREAT");

        post(observation("open-1", "open"));
        awaitNotification(id("open-1"));
        post(observation("private-1", "private"));
        post(observation("open-2", "open"));
        awaitNotification(id("open-2"));
        Thread.sleep(3000);
        assertThat(notified).noneMatch(body -> body.contains(id("private-1")));
    }

    private String observation(String name, String patient) {
        return "{\"resourceType\":\"Observation\",\"id\":\"" + id(name)
                + "\",\"status\":\"final\",\"code\":{\"coding\":"
                + "[{\"system\":\"http://example.org/codes\",\"code\":\"" + run + "\"}]},\"subject\":{\"reference\":"
                + "\"Patient/" + id(patient) + "\"},\"valueString\":\"x\"}";
    }

    private String awaitActive(String id) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> read = fhirGet("Subscription/" + id);
            JsonNode body = JSON.readTree(read.body());
            if ("active".equals(body.path("status").asText())) {
                return read.body();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the Subscription did not become active within 60 s");
    }

    private void awaitNotification(String observationId) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (notified.stream().anyMatch(body -> body.contains(observationId))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no notification about " + observationId + " within 60 s; got " + notified.size());
    }

    private void post(String observation) throws Exception {
        String observationId = JSON.readTree(observation).get("id").asText();
        put("Observation/" + observationId, observation);
    }

    private void put(String path, String body) throws Exception {
        HttpResponse<String> response = fhirPut(path, body);
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
    }

    private String id(String name) {
        return run + "-" + name;
    }
}
