package health.vigil.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.vigil.ingestion.api.IngestionProperties;
import health.vigil.server.VigilServerProperties;
import health.vigil.server.security.VigilSecurityProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.yaml.snakeyaml.Yaml;

/**
 * Keeps docker-compose.yml and fhir-server/Dockerfile true to the server they run: every setting they
 * pass exists, the ports and database agree, and the image holds the jar this module builds. Read-only
 * checks on the files; nothing is started (no Docker needed).
 */
class DockerComposeTest {

    private static final String POSTGRES = "postgres";
    private static final String VIGIL = "vigil";
    private static final String KEYCLOAK = "keycloak";

    private static Path moduleDir;
    private static Map<String, Object> compose;
    private static String dockerfile;
    private static String keycloakDockerfile;

    @BeforeAll
    static void readFiles() throws IOException {
        // Surefire runs in fhir-server/; an IDE may run from the repository root.
        moduleDir = Files.exists(Path.of("src/main/resources/application.yaml"))
                ? Path.of("").toAbsolutePath()
                : Path.of("fhir-server").toAbsolutePath();
        compose = yaml(moduleDir.resolveSibling("docker-compose.yml"));
        dockerfile = Files.readString(moduleDir.resolve("Dockerfile"));
        keycloakDockerfile = Files.readString(moduleDir.resolveSibling("keycloak/Dockerfile"));
    }

    @Test
    void services_composeFile_includePostgresKeycloakAndVigil() {
        assertThat(map(compose, "services")).containsKeys(POSTGRES, KEYCLOAK, VIGIL);
    }

    @Test
    void keycloak_realmAndProvider_areTheRepositorysAndVigilTrustsThatRealm() throws Exception {
        Map<String, String> keycloak = environment(service(KEYCLOAK));
        Map<String, String> vigil = environment(service(VIGIL));
        Path root = moduleDir.getParent();
        JsonNode realm = new ObjectMapper()
                .readTree(root.resolve("keycloak/realm/vigil-realm.json").toFile());
        String providerArtifact = artifactId(root.resolve("keycloak/pom.xml"));

        assertThat(root.resolve(String.valueOf(map(service(KEYCLOAK), "build").get("dockerfile"))))
                .isRegularFile();
        assertThat(instructions(keycloakDockerfile, "COPY"))
                .anyMatch(copy ->
                        copy.startsWith("keycloak/target/" + providerArtifact + "-*.jar /opt/keycloak/providers/"))
                .anyMatch(copy -> copy.startsWith("keycloak/realm/vigil-realm.json /opt/keycloak/data/import/"));
        assertThat(instructions(keycloakDockerfile, "CMD"))
                .singleElement()
                .asString()
                .contains("--import-realm");

        String realmName = realm.get("realm").asText();
        assertThat(vigil)
                .containsEntry("VIGIL_SECURITY_MODE", "smart")
                .containsEntry("VIGIL_SECURITY_ISSUER", keycloak.get("KC_HOSTNAME") + "/realms/" + realmName)
                .containsEntry("VIGIL_SECURITY_FHIR_BASE_URL", keycloak.get("VIGIL_FHIR_BASE_URL"));
        URI backchannel = URI.create(vigil.get("VIGIL_SECURITY_ISSUER_BACKCHANNEL_URL"));
        assertThat(backchannel.getHost()).as("the keycloak service's host name").isEqualTo(KEYCLOAK);
        assertThat(backchannel.getPath()).isEqualTo("/realms/" + realmName);
        JsonNode introspectionClient = null;
        for (JsonNode client : realm.get("clients")) {
            if (client.get("clientId").asText().equals(vigil.get("VIGIL_SECURITY_INTROSPECTION_CLIENT_ID"))) {
                introspectionClient = client;
            }
        }
        assertThat(introspectionClient)
                .as("the introspection client is in the realm")
                .isNotNull();
        assertThat(vigil.get("VIGIL_SECURITY_INTROSPECTION_CLIENT_SECRET"))
                .isEqualTo(introspectionClient.get("secret").asText());
        assertThat(String.valueOf(list(service(KEYCLOAK), "ports").get(0)))
                .endsWith(":" + URI.create(keycloak.get("KC_HOSTNAME")).getPort() + ":8080");
    }

    @Test
    void vigilPorts_publishedMapping_targetsServerPort() throws IOException {
        int serverPort = environment(service(VIGIL)).containsKey("SERVER_PORT")
                ? Integer.parseInt(environment(service(VIGIL)).get("SERVER_PORT"))
                : (Integer) map(yaml(resources().resolve("application.yaml")), "server")
                        .get("port");

        List<Integer> containerPorts = new ArrayList<>();
        for (Object port : list(service(VIGIL), "ports")) {
            containerPorts.add(containerPort(port));
        }

        assertThat(containerPorts).contains(serverPort);
        assertThat(instructions("EXPOSE")).contains(String.valueOf(serverPort));
    }

    @Test
    void environmentNames_vigilServerProperties_followRelaxedBinding() {
        // Guards the reflection below against passing vacuously.
        assertThat(vigilServerEnvironmentNames())
                .contains(
                        "VIGIL_SERVER_DATA_DIRECTORY",
                        "VIGIL_SERVER_DATABASE_URL",
                        "VIGIL_SERVER_DATABASE_MAX_POOL_SIZE",
                        "VIGIL_SERVER_DATABASE_MAXPOOLSIZE",
                        "VIGIL_SERVER_LIMITS_MAX_REQUEST_SIZE",
                        "VIGIL_SERVER_TUNING")
                .doesNotContain("VIGIL_SERVER_DATABASE", "VIGIL_SERVER_LIMITS");
    }

    @Test
    void vigilEnvironment_vigilVariables_bindToVigilServerProperties() {
        Set<String> known = vigilServerEnvironmentNames();
        List<String> vigilVariables = settingsPassed().stream()
                .filter(name -> name.startsWith("VIGIL_"))
                .toList();

        assertThat(vigilVariables).isNotEmpty();
        assertThat(vigilVariables)
                .as("VIGIL_* variables of docker-compose.yml and the Dockerfile that are no vigil.server.*,"
                        + " vigil.security.* or vigil.ingestion.* setting")
                .filteredOn(name -> !known.contains(name))
                .isEmpty();
    }

    @Test
    void vigilEnvironment_otherVariables_areSpringBootProperties() throws IOException {
        Map<String, Boolean> springProperties = springBootProperties();
        List<String> springVariables = settingsPassed().stream()
                .filter(name -> !name.startsWith("VIGIL_"))
                .toList();

        assertThat(springVariables).contains("SPRING_PROFILES_ACTIVE", "SERVER_ADDRESS");
        assertThat(springVariables)
                .as("variables of docker-compose.yml and the Dockerfile that are no Spring Boot property")
                .filteredOn(name -> !isSpringBootProperty(name, springProperties))
                .isEmpty();
    }

    @Test
    void vigilDatabase_jdbcUrlAndCredentials_matchPostgresService() {
        Map<String, String> vigil = environment(service(VIGIL));
        Map<String, String> postgres = environment(service(POSTGRES));
        assertThat(vigil).containsKeys("VIGIL_SERVER_DATABASE_URL");
        assertThat(postgres).containsKeys("POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD");
        URI url = URI.create(vigil.get("VIGIL_SERVER_DATABASE_URL").substring("jdbc:".length()));

        assertThat(url.getScheme()).isEqualTo("postgresql");
        assertThat(url.getHost()).as("the postgres service's host name").isEqualTo(POSTGRES);
        assertThat(url.getPort()).isIn(-1, 5432);
        assertThat(url.getPath()).isEqualTo("/" + postgres.get("POSTGRES_DB"));
        assertThat(vigil.get("VIGIL_SERVER_DATABASE_USERNAME"))
                .as("VIGIL_SERVER_DATABASE_USERNAME")
                .isEqualTo(postgres.get("POSTGRES_USER"));
        assertThat(vigil.get("VIGIL_SERVER_DATABASE_PASSWORD"))
                .as("VIGIL_SERVER_DATABASE_PASSWORD")
                .isEqualTo(postgres.get("POSTGRES_PASSWORD"));
        assertThat(map(map(service(VIGIL), "depends_on"), POSTGRES)).containsEntry("condition", "service_healthy");
    }

    @Test
    void vigilProfiles_activeProfiles_haveProfileConfiguration() {
        String active = environment(service(VIGIL)).get("SPRING_PROFILES_ACTIVE");

        assertThat(active).isNotBlank();
        for (String profile : active.split(",")) {
            assertThat(resources().resolve("application-" + profile.strip() + ".yaml"))
                    .as("configuration of profile '%s'", profile.strip())
                    .isRegularFile();
        }
    }

    @Test
    void dockerfile_copiedJar_isTheFhirServerArtifact() throws Exception {
        String artifactId = artifactId(moduleDir.resolve("pom.xml"));
        Map<String, Object> build = map(service(VIGIL), "build");

        assertThat(artifactId).isEqualTo("vigil-fhir-server");
        assertThat(instructions("COPY"))
                .anyMatch(copy -> copy.matches("(--\\S+\\s+)*fhir-server/target/" + artifactId + "-\\*\\.jar\\s+\\S+"));
        // The COPY path above is relative to the build context: the repository root.
        assertThat(moduleDir
                        .resolveSibling(String.valueOf(build.get("context")))
                        .normalize())
                .isEqualTo(moduleDir.getParent().normalize());
        assertThat(moduleDir.resolveSibling(String.valueOf(build.get("dockerfile"))))
                .isRegularFile()
                .isEqualTo(moduleDir.resolve("Dockerfile"));
    }

    @Test
    void dockerfile_dataDirectory_isAVolumeComposeMounts() {
        String directory = dockerfileEnvironment().get("VIGIL_SERVER_DATA_DIRECTORY");
        assertThat(directory)
                .as("ENV VIGIL_SERVER_DATA_DIRECTORY in the Dockerfile")
                .isNotBlank();

        List<String> mountTargets = list(service(VIGIL), "volumes").stream()
                .map(volume -> volume instanceof Map<?, ?> longSyntax
                        ? String.valueOf(longSyntax.get("target"))
                        : String.valueOf(volume).split(":")[1])
                .toList();

        assertThat(instructions("VOLUME"))
                .anyMatch(volume -> volume.matches("\\[?\"?" + Pattern.quote(directory) + "\"?]?"));
        assertThat(mountTargets).contains(directory);
    }

    @Test
    void dockerfile_healthcheck_usesAnEnabledReadinessProbe() throws IOException {
        Map<String, Object> health =
                map(map(map(yaml(resources().resolve("application.yaml")), "management"), "endpoint"), "health");

        assertThat(instructions("HEALTHCHECK")).singleElement().asString().contains("/actuator/health/readiness");
        assertThat(map(health, "probes")).containsEntry("enabled", true);
    }

    // --- vigil.server.* as environment variables ---

    /**
     * Every leaf of {@link VigilServerProperties} and {@link VigilSecurityProperties} in both environment
     * forms Spring's relaxed binding accepts.
     */
    private static Set<String> vigilServerEnvironmentNames() {
        Set<String> names = new HashSet<>();
        for (Class<?> properties :
                List.of(VigilServerProperties.class, VigilSecurityProperties.class, IngestionProperties.class)) {
            ConfigurationProperties binding = properties.getAnnotation(ConfigurationProperties.class);
            String prefix = binding.prefix().isEmpty() ? binding.value() : binding.prefix();
            collectLeaves(properties, prefix, names);
        }
        Set<String> environmentNames = new HashSet<>();
        for (String name : names) {
            // data-directory: DATA_DIRECTORY, and DATADIRECTORY as Spring's documentation writes it.
            environmentNames.add(name.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT));
            environmentNames.add(name.replace(".", "_").replace("-", "").toUpperCase(Locale.ROOT));
        }
        return environmentNames;
    }

    private static void collectLeaves(Class<?> type, String prefix, Set<String> names) {
        for (RecordComponent component : type.getRecordComponents()) {
            String name = prefix + "." + kebabCase(component.getName());
            if (component.getType().isRecord()) {
                collectLeaves(component.getType(), name, names);
            } else {
                names.add(name);
            }
        }
    }

    private static String kebabCase(String camelCase) {
        return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    // --- Spring Boot properties as environment variables ---

    /** Spring Boot's documented properties, each with whether it is a map (whose keys follow its name). */
    private static Map<String, Boolean> springBootProperties() throws IOException {
        Map<String, Boolean> properties = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        List<URL> metadata = Collections.list(
                DockerComposeTest.class.getClassLoader().getResources("META-INF/spring-configuration-metadata.json"));
        for (URL url : metadata) {
            try (InputStream in = url.openStream()) {
                for (JsonNode property : json.readTree(in).path("properties")) {
                    properties.put(
                            property.path("name").asText(),
                            property.path("type").asText().startsWith("java.util.Map"));
                }
            }
        }
        assertThat(properties).as("Spring Boot configuration metadata").containsKey("spring.profiles.active");
        return properties;
    }

    private static boolean isSpringBootProperty(String variable, Map<String, Boolean> properties) {
        for (Map.Entry<String, Boolean> property : properties.entrySet()) {
            String name = property.getKey();
            for (String form : List.of(
                    name.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT),
                    name.replace(".", "_").replace("-", "").toUpperCase(Locale.ROOT))) {
                if (variable.equals(form) || (property.getValue() && variable.startsWith(form + "_"))) {
                    return true;
                }
            }
        }
        return false;
    }

    // --- the files ---

    /** Settings given to the server: the vigil service's environment and the Dockerfile's ENV lines. */
    private static List<String> settingsPassed() {
        List<String> names = new ArrayList<>(environment(service(VIGIL)).keySet());
        names.addAll(dockerfileEnvironment().keySet());
        return names;
    }

    /** The arguments of each server Dockerfile instruction with this keyword, continuation lines joined. */
    private static List<String> instructions(String keyword) {
        return instructions(dockerfile, keyword);
    }

    private static List<String> instructions(String file, String keyword) {
        return file.replace("\\\n", " ")
                .lines()
                .map(String::strip)
                .filter(line -> line.startsWith(keyword + " "))
                .map(line -> line.substring(keyword.length()).strip())
                .toList();
    }

    /** The Dockerfile's ENV NAME=value pairs. */
    private static Map<String, String> dockerfileEnvironment() {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String env : instructions("ENV")) {
            Matcher pair = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S*)")
                    .matcher(env);
            while (pair.find()) {
                variables.put(pair.group(1), pair.group(2).replace("\"", ""));
            }
        }
        return variables;
    }

    private static Map<String, Object> service(String name) {
        return map(map(compose, "services"), name);
    }

    /** A service's environment, in either of Compose's forms (map, or list of NAME=value). */
    private static Map<String, String> environment(Map<String, Object> service) {
        Object environment = service.get("environment");
        Map<String, String> variables = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> entries) {
            entries.forEach((name, value) -> variables.put(String.valueOf(name), String.valueOf(value)));
        } else if (environment instanceof List<?> entries) {
            for (Object entry : entries) {
                String[] nameAndValue = String.valueOf(entry).split("=", 2);
                variables.put(nameAndValue[0], nameAndValue.length > 1 ? nameAndValue[1] : "");
            }
        }
        return variables;
    }

    /** The container side of a port mapping: "8080", "8080:8080", "127.0.0.1:8080:8080/tcp" or long syntax. */
    private static int containerPort(Object port) {
        if (port instanceof Map<?, ?> longSyntax) {
            return Integer.parseInt(String.valueOf(longSyntax.get("target")));
        }
        // Unquoted 8080:8080 is a base-60 number in YAML 1.1; Compose files quote port mappings.
        assertThat(port).as("port mapping %s (quote it)", port).isInstanceOf(String.class);
        List<String> parts = Arrays.asList(((String) port).split(":"));
        return Integer.parseInt(parts.get(parts.size() - 1).replaceFirst("/.*", ""));
    }

    private static String artifactId(Path pom) throws Exception {
        var document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        var children = document.getDocumentElement().getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if ("artifactId".equals(children.item(i).getNodeName())) {
                return children.item(i).getTextContent().strip();
            }
        }
        throw new AssertionError("no artifactId in " + pom);
    }

    private static Path resources() {
        return moduleDir.resolve("src/main/resources");
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            return new Yaml().load(reader);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        assertThat(parent).as("parent of '%s'", key).containsKey(key);
        assertThat(parent.get(key)).as("'%s'", key).isInstanceOf(Map.class);
        return (Map<String, Object>) parent.get(key);
    }

    private static List<Object> list(Map<String, Object> parent, String key) {
        assertThat(parent).as("parent of '%s'", key).containsKey(key);
        assertThat(parent.get(key)).as("'%s'", key).isInstanceOf(List.class);
        return new ArrayList<>((List<?>) parent.get(key));
    }
}
