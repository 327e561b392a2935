package health.vigil.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The plain HTTP the workloads need: POST a Bundle or resource, GET a path, against one FHIR base
 * URL. HTTP/1.1 with kept-alive connections, as FHIR clients usually talk to a server.
 */
final class FhirHttp {

    private static final String FHIR_JSON = "application/fhir+json";
    /** A patient transaction bundle takes seconds; the timeout only stops a hung server. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

    private final URI base;
    private final HttpClient client;
    private final String authorization;

    FhirHttp(URI base) {
        this(base, null);
    }

    /** With {@code token} sent as {@code Authorization: Bearer} on every request (none when null). */
    FhirHttp(URI base, String token) {
        this.base = base;
        this.authorization = token == null ? null : "Bearer " + token;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** POSTs to {@code base/path} (the base itself when {@code path} is empty). */
    Response post(String path, byte[] body) throws IOException, InterruptedException {
        return send(withBody(path)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    }

    Response post(String path, String body) throws IOException, InterruptedException {
        return post(path, body.getBytes(StandardCharsets.UTF_8));
    }

    /** POSTs a payload of another content type ({@code application/json} device messages to {@code $ingest}). */
    Response post(String path, byte[] body, String contentType) throws IOException, InterruptedException {
        return send(withBody(path, contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    }

    /** PUTs a resource to {@code base/path}. */
    Response put(String path, String body) throws IOException, InterruptedException {
        return send(
                withBody(path).PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** GETs {@code base/pathAndQuery}; the query must already be encoded. */
    Response get(String pathAndQuery) throws IOException, InterruptedException {
        return send(getRequest(pathAndQuery).build());
    }

    /**
     * GETs with {@code Cache-Control: no-cache}, so that HAPI runs a repeated search again instead of
     * answering from its search cache: for polls that wait for something to be stored.
     */
    Response getUncached(String pathAndQuery) throws IOException, InterruptedException {
        return send(getRequest(pathAndQuery).header("Cache-Control", "no-cache").build());
    }

    private HttpRequest.Builder getRequest(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", FHIR_JSON)
                .GET();
    }

    private HttpRequest.Builder withBody(String path) {
        return withBody(path, FHIR_JSON);
    }

    private HttpRequest.Builder withBody(String path, String contentType) {
        return HttpRequest.newBuilder(uri(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", contentType)
                .header("Accept", FHIR_JSON);
    }

    private Response send(HttpRequest request) throws IOException, InterruptedException {
        if (authorization != null) {
            request = HttpRequest.newBuilder(request, (name, value) -> true)
                    .header("Authorization", authorization)
                    .build();
        }
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }

    private URI uri(String path) {
        return path.isEmpty() ? base : URI.create(base + "/" + path);
    }

    /** A response: status and body. */
    record Response(int status, String body) {

        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** Status and the start of the body, for a failure message. */
        String describe() {
            String start = body.length() > 300 ? body.substring(0, 300) + "..." : body;
            return "HTTP " + status + ": " + start.replaceAll("\\s+", " ");
        }
    }
}
