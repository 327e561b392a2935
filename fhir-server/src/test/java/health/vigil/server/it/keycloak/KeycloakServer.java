package health.vigil.server.it.keycloak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Keycloak with the {@code vigil} realm and the SMART provider, for the integration tests:
 * started lazily, once per test JVM and FHIR base URL, by {@link #shared(String)} (normally one per
 * JVM), and stopped when the JVM exits.
 *
 * <p>Keycloak runs {@code kc.sh start-dev} (in-memory database, HTTP on a free port of 127.0.0.1)
 * from a copy of the distribution under {@code target/keycloak}, so the cached distribution stays
 * pristine and working copies do not share a Keycloak home. The realm's {@code
 * ${VIGIL_FHIR_BASE_URL}} is the FHIR base URL the caller gives, {@code ${VIGIL_PUBLIC_URL}} its origin
 * (scheme, host and port), where the apps' redirect URIs live. Its log is {@code
 * target/keycloak/0/keycloak.log} (1, 2, ... for further FHIR base URLs).
 *
 * <p>The build provides the locations as system properties (see fhir-server/pom.xml): {@code
 * vigil.it.keycloak.distribution} (the unpacked distribution), {@code vigil.it.keycloak.providers}
 * (the provider jars), {@code vigil.it.keycloak.realm} (the realm file) and {@code
 * vigil.it.keycloak.work} (the working directory). Starting takes 40 to 90 s on two cores: Keycloak
 * rebuilds itself when the provider jar changed, and importing the realm's ~350 client scopes alone
 * takes about 20 s.
 */
public final class KeycloakServer {

    /** The realm the tests use. */
    public static final String REALM = "vigil";

    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /**
     * The FHIR base URL of the Vigil server the Keycloak tier runs against ({@link VigilWithKeycloakIT}):
     * a free loopback port, fixed for this test JVM, so that the flow tests and that server share one
     * Keycloak whose tokens carry this audience.
     */
    public static final String DEFAULT_FHIR_BASE_URL = "http://127.0.0.1:" + freePortOrFail() + "/fhir";

    /** The running servers by FHIR base URL, in the order they started. */
    private static final Map<String, KeycloakServer> SHARED = new LinkedHashMap<>();

    private final String fhirBaseUrl;
    private final String publicUrl;
    private final URI baseUrl;
    private final Path logFile;
    private final Process process;

    private KeycloakServer(String fhirBaseUrl, String publicUrl, URI baseUrl, Path logFile, Process process) {
        this.fhirBaseUrl = fhirBaseUrl;
        this.publicUrl = publicUrl;
        this.baseUrl = baseUrl;
        this.logFile = logFile;
        this.process = process;
    }

    /**
     * The Keycloak of this test JVM for a FHIR base URL, started on the first call for it.
     *
     * @param fhirBaseUrl the FHIR base URL tokens are for: their {@code aud} carries it, and the apps'
     *     redirect URIs are at its origin
     * @throws IllegalStateException when Keycloak does not start
     */
    public static synchronized KeycloakServer shared(String fhirBaseUrl) {
        KeycloakServer server = SHARED.get(fhirBaseUrl);
        if (server == null) {
            server = start(fhirBaseUrl, SHARED.size());
            SHARED.put(fhirBaseUrl, server);
        }
        return server;
    }

    /**
     * The Keycloak this test JVM started first, whatever its FHIR base URL, or one for {@link
     * #DEFAULT_FHIR_BASE_URL}: for tests of Keycloak alone, which do not care about the URL.
     */
    public static synchronized KeycloakServer shared() {
        return SHARED.isEmpty()
                ? shared(DEFAULT_FHIR_BASE_URL)
                : SHARED.values().iterator().next();
    }

    /** The FHIR base URL the realm was started with ({@code aud} of every access token). */
    public String fhirBaseUrl() {
        return fhirBaseUrl;
    }

    /** The origin of the FHIR base URL: where the SMART apps' redirect URIs are ({@code <publicUrl>/apps/...}). */
    public String publicUrl() {
        return publicUrl;
    }

    /** Keycloak's own address, {@code http://127.0.0.1:<port>}. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** The realm's issuer: the {@code iss} claim of its tokens. */
    public String issuer() {
        return baseUrl + "/realms/" + REALM;
    }

    /** The realm's OpenID Connect discovery document. */
    public URI discoveryUrl() {
        return URI.create(issuer() + "/.well-known/openid-configuration");
    }

    public URI authorizationEndpoint() {
        return oidc("auth");
    }

    public URI tokenEndpoint() {
        return oidc("token");
    }

    /** RFC 7662 token introspection; the caller authenticates as a client in the token's audience. */
    public URI introspectionEndpoint() {
        return oidc("token/introspect");
    }

    /** RFC 7009 token revocation, for access and refresh tokens. */
    public URI revocationEndpoint() {
        return oidc("revoke");
    }

    /** The realm's signing keys (JWKS), for validating its access tokens. */
    public URI jwksUri() {
        return oidc("certs");
    }

    /** Where Keycloak logs to. */
    public Path logFile() {
        return logFile;
    }

    private URI oidc(String path) {
        return URI.create(issuer() + "/protocol/openid-connect/" + path);
    }

    private static KeycloakServer start(String fhirBaseUrl, int instance) {
        try {
            URI fhir = URI.create(fhirBaseUrl);
            String publicUrl = fhir.getScheme() + "://" + fhir.getRawAuthority();
            Path home = prepareHome(instance);
            Path logFile = home.getParent().resolve("keycloak.log");
            int httpPort = freePort();
            int managementPort = freePort();

            ProcessBuilder builder = new ProcessBuilder(
                            home.resolve("bin/kc.sh").toString(),
                            "start-dev",
                            "--import-realm",
                            "--http-host=127.0.0.1",
                            "--http-port=" + httpPort,
                            "--http-management-port=" + managementPort,
                            "--db=dev-mem",
                            "--health-enabled=true")
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile());
            Map<String, String> environment = builder.environment();
            // Only what is set here configures Keycloak: no KC_* or JAVA_OPTS from the caller's shell.
            environment.keySet().removeIf(name -> name.startsWith("KC_") || name.startsWith("JAVA_OPTS"));
            environment.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
            environment.put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
            environment.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
            // Keycloak runs briefly: the C1 compiler alone starts it faster on two cores.
            environment.put("JAVA_OPTS_APPEND", "-XX:TieredStopAtLevel=1");
            environment.put("VIGIL_FHIR_BASE_URL", fhirBaseUrl);
            environment.put("VIGIL_PUBLIC_URL", publicUrl);

            Process process = builder.start();
            KeycloakServer server = new KeycloakServer(
                    fhirBaseUrl, publicUrl, URI.create("http://127.0.0.1:" + httpPort), logFile, process);
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "keycloak-stop"));
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Keycloak did not start", e);
        }
    }

    /**
     * A Keycloak home under {@code vigil.it.keycloak.work}{@code /<instance>}: a copy of the
     * distribution (made once, then reused by later runs), with this build's provider jars in {@code
     * providers/} and the realm in {@code data/import/}.
     */
    private static Path prepareHome(int instance) throws IOException {
        Path distribution = directoryProperty("vigil.it.keycloak.distribution");
        Path providers = directoryProperty("vigil.it.keycloak.providers");
        Path realm = Path.of(property("vigil.it.keycloak.realm"));
        Path home = Path.of(property("vigil.it.keycloak.work"))
                .resolve(String.valueOf(instance))
                .resolve(distribution.getFileName());

        Path version = home.resolve("version.txt");
        if (!Files.exists(version) || Files.mismatch(version, distribution.resolve("version.txt")) != -1) {
            // Copied beside and moved in, so an interrupted copy is never taken for a complete one.
            Path partial = home.resolveSibling(home.getFileName() + ".partial");
            deleteTree(partial);
            copyTree(distribution, partial);
            deleteTree(home);
            Files.move(partial, home);
        }

        Path installed = Files.createDirectories(home.resolve("providers"));
        try (Stream<Path> old = Files.list(installed)) {
            for (Path jar : old.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.delete(jar);
            }
        }
        try (Stream<Path> jars = Files.list(providers)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                // Keeping the jar's time lets Keycloak skip its rebuild when the jar did not change.
                Files.copy(jar, installed.resolve(jar.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }

        Path imports = home.resolve("data/import");
        deleteTree(imports);
        Files.createDirectories(imports);
        Files.copy(realm, imports.resolve(realm.getFileName()));
        return home;
    }

    private void awaitReady() {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + " while starting; see "
                        + logFile + "\n" + logTail());
            }
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(discoveryUrl())
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new IllegalStateException("interrupted while waiting for Keycloak", e);
            }
            sleep(Duration.ofMillis(500));
        }
        stop();
        throw new IllegalStateException(
                "Keycloak did not answer " + discoveryUrl() + " within " + START_TIMEOUT + "; see " + logFile);
    }

    /** Stops Keycloak by its process id (kc.sh passes SIGTERM on to its JVM), forcibly after a while. */
    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private String logTail() {
        try (Stream<String> lines = Files.lines(logFile)) {
            List<String> all = lines.toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - 30), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + name + " is not set: run the Keycloak tests"
                    + " through Maven (./mvnw verify -pl fhir-server), which unpacks Keycloak and sets it");
        }
        return value;
    }

    private static Path directoryProperty(String name) {
        Path directory = Path.of(property(name));
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException(name + "=" + directory + " is not a directory: run the build's"
                    + " pre-integration-test phase, which provides it");
        }
        return directory;
    }

    private static int freePortOrFail() {
        try {
            return freePort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
