package health.vigil.server.it;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import health.vigil.server.VigilApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the end-to-end tests: one Vigil server per test JVM (every subclass shares this Spring
 * configuration, so the context is started once), reached only through HTTP.
 */
@SpringBootTest(classes = VigilApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class ServerIT {

    static final FhirContext FHIR = FhirContext.forR4Cached();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        ItDatabase.serverProperties().forEach((key, value) -> registry.add(key, () -> value));
    }

    String serverUrl() {
        return "http://127.0.0.1:" + port;
    }

    String fhirBase() {
        return serverUrl() + "/fhir";
    }

    IGenericClient client() {
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        FHIR.getRestfulClientFactory().setSocketTimeout(600_000);
        return FHIR.newRestfulGenericClient(fhirBase());
    }

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** One HTTP client for all tests of the JVM: connections are reused. */
    static HttpClient http() {
        return HTTP;
    }

    /** GET {@code fhirBase()/path}, or an absolute URL the server gave (paging links), as FHIR JSON. */
    HttpResponse<String> fhirGet(String pathOrUrl) throws Exception {
        String url = pathOrUrl.startsWith("http") ? pathOrUrl : fhirBase() + "/" + pathOrUrl;
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    /** POST FHIR JSON to {@code fhirBase()/path} (an empty path posts to the base: transaction, batch). */
    HttpResponse<String> fhirPost(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(path.isEmpty() ? fhirBase() : fhirBase() + "/" + path))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** PUT FHIR JSON to {@code fhirBase()/path}. */
    HttpResponse<String> fhirPut(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(fhirBase() + "/" + path))
                .header("Content-Type", "application/fhir+json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(
                request.header("Accept", "application/fhir+json").build(), HttpResponse.BodyHandlers.ofString());
    }
}
