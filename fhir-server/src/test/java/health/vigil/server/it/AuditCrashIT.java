package health.vigil.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The crash test: a Vigil server in its own process under load from four clients is killed with
 * {@code kill -9}, then started again on the same database. Every response a client received before
 * the kill has its audit record, and the chain verifies.
 */
class AuditCrashIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Map<String, String> database = ItDatabase.separateServerProperties();
    private final List<ServerProcess> started = new ArrayList<>();

    @AfterEach
    void stopServers() throws InterruptedException {
        for (ServerProcess server : started) {
            server.close();
        }
    }

    @Test
    void killMinus9UnderLoad_everyAnsweredRequestHasItsAuditRecord_andTheChainVerifies() throws Exception {
        ServerProcess server = start("first");
        String base = server.fhirBase();
        String patient = "crash-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/Patient/" + patient))
                                .header("Content-Type", "application/fhir+json")
                                .PUT(HttpRequest.BodyPublishers.ofString(
                                        "{\"resourceType\":\"Patient\",\"id\":\"" + patient + "\"}")))
                        .statusCode())
                .isIn(200, 201);

        Set<String> answered = ConcurrentHashMap.newKeySet();
        AtomicInteger sent = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        for (int client = 0; client < 4; client++) {
            clients.submit(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    int n = sent.incrementAndGet();
                    HttpRequest.Builder request =
                            switch (n % 3) {
                                case 0 -> HttpRequest.newBuilder(URI.create(base + "/Observation"))
                                        .header("Content-Type", "application/fhir+json")
                                        .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Observation\","
                                                + "\"status\":\"final\",\"code\":{\"text\":\"crash test\"},"
                                                + "\"subject\":{\"reference\":\"Patient/" + patient + "\"},"
                                                + "\"valueString\":\"" + n + "\"}"));
                                case 1 -> HttpRequest.newBuilder(URI.create(base + "/Patient/" + patient));
                                default -> HttpRequest.newBuilder(
                                        URI.create(base + "/Observation?patient=" + patient + "&_count=5"));
                            };
                    try {
                        HttpResponse<String> response = send(request);
                        response.headers().firstValue("X-Request-ID").ifPresent(answered::add);
                    } catch (IOException e) {
                        return; // the server is gone
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (answered.size() < 300 && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        server.kill();
        clients.shutdownNow();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(answered).as("responses received before the kill").hasSizeGreaterThanOrEqualTo(300);

        String restarted = start("restarted").fhirBase();
        Set<String> audited = auditedRequestIds(restarted);
        Set<String> missing = new HashSet<>(answered);
        missing.removeAll(audited);
        assertThat(missing).as("answered requests without an audit record").isEmpty();

        JsonNode verification = JSON.readTree(send(HttpRequest.newBuilder(URI.create(restarted + "/$verify-audit")))
                .body());
        assertThat(parameter(verification, "intact")).isEqualTo("true");
    }

    private Set<String> auditedRequestIds(String base) throws Exception {
        Set<String> ids = new HashSet<>();
        for (int offset = 0; ; offset += 1000) {
            HttpResponse<String> page =
                    send(HttpRequest.newBuilder(URI.create(base + "/AuditEvent?_count=1000&_offset=" + offset)));
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            JsonNode entries = JSON.readTree(page.body()).path("entry");
            if (entries.isEmpty()) {
                return ids;
            }
            for (JsonNode entry : entries) {
                for (JsonNode entity : entry.path("resource").path("entity")) {
                    if ("XrequestId".equals(entity.path("type").path("code").asText())) {
                        ids.add(entity.path("what")
                                .path("identifier")
                                .path("value")
                                .asText());
                    }
                }
            }
        }
    }

    private ServerProcess start(String name) throws Exception {
        ServerProcess server = ServerProcess.launch("audit-crash-" + name, database);
        started.add(server);
        return server.awaitReady();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(
                request.header("Accept", "application/fhir+json")
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String parameter(JsonNode parameters, String name) {
        for (JsonNode parameter : parameters.path("parameter")) {
            if (name.equals(parameter.path("name").asText())) {
                return parameter.has("valueBoolean")
                        ? parameter.get("valueBoolean").asText()
                        : parameter.path("valueString").asText();
            }
        }
        return null;
    }
}
