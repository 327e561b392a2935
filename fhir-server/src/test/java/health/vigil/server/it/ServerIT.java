package health.vigil.server.it;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import health.vigil.server.VigilApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the end-to-end tests: one Vigil server per test JVM (every subclass shares this Spring
 * configuration, so the context is started once), reached only through HTTP, in {@code smart} security
 * mode with tokens from the in-JVM {@link TestIssuer}. Requests made through the helpers here carry a
 * backend-service token with {@code system/*.cruds}; authorization tests mint their own tokens.
 */
@SpringBootTest(classes = VigilApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
abstract class ServerIT {

    static final FhirContext FHIR = FhirContext.forR4Cached();

    /** Fixed before the server starts, because the tokens' audience (the FHIR base URL) names it. */
    static final int PORT = freePort();

    static final String FHIR_BASE = "http://127.0.0.1:" + PORT + "/fhir";

    private static final String ADMIN_TOKEN = TestIssuer.shared()
            .token(FHIR_BASE, "system/*.cruds")
            .expiresAt(Instant.now().plus(Duration.ofHours(6)))
            .sign();

    /** Names this test JVM's MQTT client and topics, so runs on one broker do not meet. */
    static final String MQTT_RUN = java.util.UUID.randomUUID().toString().substring(0, 8);

    @LocalServerPort
    int port;

    /** The topics the server's MQTT subscriber listens to: {@code <prefix>/<format>[/Patient/<id>]}. */
    static String mqttTopicPrefix() {
        return "vigil-it-" + MQTT_RUN + "/ingest";
    }

    @DynamicPropertySource
    static void serverProperties(DynamicPropertyRegistry registry) {
        ItDatabase.serverProperties().forEach((key, value) -> registry.add(key, () -> value));
        TestIssuer issuer = TestIssuer.shared();
        registry.add("server.port", () -> PORT);
        registry.add("vigil.security.mode", () -> "smart");
        registry.add("vigil.security.issuer", issuer::issuer);
        registry.add("vigil.security.fhir-base-url", () -> FHIR_BASE);
        registry.add("vigil.security.introspection.client-id", () -> TestIssuer.INTROSPECTION_CLIENT);
        registry.add("vigil.security.introspection.client-secret", () -> TestIssuer.INTROSPECTION_SECRET);
        // Every request asks the issuer, so a revocation shows on the very next request.
        registry.add("vigil.security.introspection.cache-ttl", () -> "0s");
        // Device feeds: the example templates, and the MQTT subscriber on the local broker, on topics of
        // this test JVM alone.
        registry.add("vigil.ingestion.templates", () -> "classpath:ingestion/acme-templates.json");
        registry.add("vigil.ingestion.mqtt.enabled", () -> "true");
        registry.add("vigil.ingestion.mqtt.client-id", () -> "vigil-it-" + MQTT_RUN);
        registry.add("vigil.ingestion.mqtt.topic-prefix", () -> mqttTopicPrefix());
        registry.add("vigil.ingestion.mqtt.error-topic", () -> "vigil-it-" + MQTT_RUN + "/errors");
        registry.add("vigil.ingestion.mqtt.retry-interval", () -> "2s");
        // Lab reports read later: a reading that stopped is resumed within seconds, not minutes.
        registry.add("vigil.ingestion.documents.resume-interval", () -> "1s");
        registry.add("vigil.ingestion.documents.resume-after", () -> "1s");
    }

    String serverUrl() {
        return "http://127.0.0.1:" + port;
    }

    String fhirBase() {
        return serverUrl() + "/fhir";
    }

    /** The token the helpers send: a backend service with {@code system/*.cruds}. */
    static String adminToken() {
        return ADMIN_TOKEN;
    }

    IGenericClient client() {
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        FHIR.getRestfulClientFactory().setSocketTimeout(600_000);
        IGenericClient client = FHIR.newRestfulGenericClient(fhirBase());
        client.registerInterceptor(new BearerTokenAuthInterceptor(ADMIN_TOKEN));
        return client;
    }

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** One HTTP client for all tests of the JVM: connections are reused. */
    static HttpClient http() {
        return HTTP;
    }

    /** A request to an absolute URL carrying the admin token. */
    static HttpRequest.Builder authorized(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    /** GET {@code fhirBase()/path}, or an absolute URL the server gave (paging links), as FHIR JSON. */
    HttpResponse<String> fhirGet(String pathOrUrl) throws Exception {
        String url = pathOrUrl.startsWith("http") ? pathOrUrl : fhirBase() + "/" + pathOrUrl;
        return send(authorized(url).GET());
    }

    /** The resources a search (its first page) finds, asserting it succeeds. */
    <T extends org.hl7.fhir.r4.model.Resource> java.util.List<T> search(String query, Class<T> type) throws Exception {
        HttpResponse<String> response = fhirGet(query);
        org.assertj.core.api.Assertions.assertThat(response.statusCode())
                .as(response.body())
                .isEqualTo(200);
        return FHIR
                .newJsonParser()
                .parseResource(org.hl7.fhir.r4.model.Bundle.class, response.body())
                .getEntry()
                .stream()
                .map(entry -> type.cast(entry.getResource()))
                .toList();
    }

    /** POST FHIR JSON to {@code fhirBase()/path} (an empty path posts to the base: transaction, batch). */
    HttpResponse<String> fhirPost(String path, String body) throws Exception {
        return send(authorized(path.isEmpty() ? fhirBase() : fhirBase() + "/" + path)
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** PUT FHIR JSON to {@code fhirBase()/path}. */
    HttpResponse<String> fhirPut(String path, String body) throws Exception {
        return send(authorized(fhirBase() + "/" + path)
                .header("Content-Type", "application/fhir+json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(
                request.header("Accept", "application/fhir+json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
