package health.vigil.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentProvisionType;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The consent matrix: one patient's data under each Consent shape, seen through every read path by the
 * actor the Consent names and by another actor. Each cell states exactly which of the patient's
 * resources the path reveals. The shapes replace one another in the same Consent, so every shape also
 * proves that a Consent update takes effect on the very next request.
 */
/**
 * The consent matrix: Consent shapes, each on its own patient with the same five resources, seen
 * through every read path by the actor the Consents name (A, a practitioner and a backend client) and
 * by another actor (B). Each cell states exactly which of the patient's resources the path reveals.
 * Further tests prove that a Consent change takes effect on the very next request and that break-glass
 * needs its role.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsentMatrixIT extends ServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOINC = "http://loinc.org";
    private static final String CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";
    private static final String CLIENT_ID_SYSTEM = "https://vigil.health/fhir/sid/oauth-client-id";
    private static final Set<String> ALL = Set.of("patient", "hr", "hiv", "weight", "cond");
    private static final Set<String> OBSERVATIONS = Set.of("hr", "hiv", "weight");

    private final String run = "cm" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, String> tokens = new LinkedHashMap<>();
    private final List<Shape> shapes = shapes();
    private Instant created;

    @BeforeAll
    void createData() throws Exception {
        created = Instant.now().minusSeconds(1);
        put("Practitioner", "dr-a", "{\"resourceType\":\"Practitioner\",\"name\":[{\"family\":\"Restricted\"}]}");
        put("Practitioner", "dr-b", "{\"resourceType\":\"Practitioner\",\"name\":[{\"family\":\"Other\"}]}");
        for (Shape shape : shapes) {
            createPatientData(shape.key());
            storeConsent(shape.key(), shape.provision());
        }
        createPatientData("changes");

        tokens.put("A", user("dr-a").sign());
        tokens.put("B", user("dr-b").sign());
        tokens.put(
                "A with break-glass role",
                user("dr-a").claim("roles", List.of("vigil-break-glass")).sign());
        tokens.put("backend A", backend(id("backend-a")));
        tokens.put("backend B", backend(id("backend-b")));
    }

    @AfterAll
    void removeConsents() throws Exception {
        // Leaves the shared database without these Consents, so other tests are not restricted by them.
        for (Shape shape : shapes) {
            deleteConsent(shape.key());
        }
        deleteConsent("changes");
    }

    /** The shapes: the Consent, then what actor A sees (actor B sees everything under every shape). */
    private List<Shape> shapes() {
        return List.of(
                new Shape("deny-all", "deny all to A", deny(actorA()), Set.of()),
                new Shape(
                        "deny-class",
                        "deny a class to A",
                        permitWith(deny(actorA()).addClass_(resourceType("Condition"))),
                        Set.of("patient", "hr", "hiv", "weight")),
                new Shape(
                        "deny-code",
                        "deny a code to A",
                        permitWith(deny(actorA()).addCode(loinc("75622-1"))),
                        Set.of("patient", "hr", "weight", "cond")),
                new Shape(
                        "deny-label",
                        "deny a security label to A",
                        permitWith(deny(actorA()).addSecurityLabel(new Coding(CONFIDENTIALITY, "R", null))),
                        Set.of("patient", "hr", "weight", "cond")),
                new Shape(
                        "research-only",
                        "permit A only for research",
                        withChild(
                                deny(actorA()),
                                permit().addPurpose(new Coding(
                                        "http://terminology.hl7.org/CodeSystem/v3-ActReason", "HRESCH", null))),
                        Set.of()),
                new Shape(
                        "ended",
                        "deny all to A in a period that ended",
                        deny(actorA()).setPeriod(period("2019-01-01", "2020-01-01")),
                        ALL),
                new Shape(
                        "data-period",
                        "deny A data from before 2020",
                        deny(actorA()).setDataPeriod(period(null, "2020-01-01")),
                        // The Patient has no clinical date: inside every dataPeriod of a deny (never widen access).
                        Set.of("hr", "hiv", "cond")),
                new Shape(
                        "exception",
                        "deny all to A except heart rate",
                        withChild(
                                deny(actorA()),
                                permit().addClass_(resourceType("Observation")).addCode(loinc("8867-4"))),
                        Set.of("hr")));
    }

    @TestFactory
    Stream<DynamicContainer> matrix() {
        return shapes.stream()
                .map(shape -> DynamicContainer.dynamicContainer(
                        shape.name(),
                        Stream.of(
                                DynamicContainer.dynamicContainer("actor A", paths("A", shape.key(), shape.seenByA())),
                                DynamicContainer.dynamicContainer("actor B", paths("B", shape.key(), ALL)),
                                DynamicTest.dynamicTest(
                                        "Consent/$evaluate for A -> " + shape.seenByA(),
                                        () -> assertThat(evaluated(shape.key(), "Practitioner/" + id("dr-a")))
                                                .isEqualTo(shape.seenByA())),
                                DynamicTest.dynamicTest("Consent/$evaluate for B -> " + ALL, () -> assertThat(
                                                evaluated(shape.key(), "Practitioner/" + id("dr-b")))
                                        .isEqualTo(ALL)))));
    }

    /** Bulk export of each shape's patient (a Group of one) by backend A, and of one by backend B. */
    @TestFactory
    Stream<DynamicTest> bulkExport() throws Exception {
        // Started together, so they share the batch-job maintenance passes.
        Map<Shape, String> byA = new LinkedHashMap<>();
        for (Shape shape : shapes) {
            byA.put(shape, kickOffExport("backend A", shape.key()));
        }
        String byB = kickOffExport("backend B", shapes.get(0).key());
        List<DynamicTest> cells = new ArrayList<>();
        byA.forEach((shape, status) -> cells.add(DynamicTest.dynamicTest(
                shape.name() + ": backend A -> " + shape.seenByA(),
                () -> assertThat(awaitExport("backend A", shape.key(), status)).isEqualTo(shape.seenByA()))));
        cells.add(DynamicTest.dynamicTest(shapes.get(0).name() + ": backend B -> " + ALL, () -> assertThat(
                        awaitExport("backend B", shapes.get(0).key(), byB))
                .isEqualTo(ALL)));
        return cells.stream();
    }

    /** Every read path, for one actor, against the resources of one patient it should see. */
    private Stream<DynamicTest> paths(String actor, String key, Set<String> visible) {
        String patient = id(key + "-patient");
        List<DynamicTest> cells = new ArrayList<>();
        cells.add(cell("read", () -> readable(actor, key, ""), visible));
        cells.add(cell("vread", () -> readable(actor, key, "/_history/1"), visible));
        cells.add(cell(
                "search",
                () -> union(
                        search(actor, key, "Observation?patient=" + patient),
                        search(actor, key, "Condition?subject=Patient/" + patient),
                        search(actor, key, "Patient?_id=" + patient)),
                visible));
        cells.add(cell(
                "_include",
                () -> search(actor, key, "Observation?patient=" + patient + "&_include=Observation:subject"),
                intersect(visible, Set.of("patient", "hr", "hiv", "weight"))));
        cells.add(cell(
                "_revinclude",
                () -> search(
                        actor,
                        key,
                        "Patient?_id=" + patient + "&_revinclude=Observation:subject&_revinclude=Condition:subject"),
                visible.contains("patient") ? visible : Set.of()));
        cells.add(cell("instance history", () -> historyOfEach(actor, key), visible));
        cells.add(cell(
                "type history",
                () -> union(
                        search(actor, key, "Observation/_history?_count=500&_since=" + created),
                        search(actor, key, "Condition/_history?_count=500&_since=" + created),
                        search(actor, key, "Patient/_history?_count=500&_since=" + created)),
                visible));
        cells.add(cell("system history", () -> search(actor, key, "_history?_count=500&_since=" + created), visible));
        cells.add(cell("$everything", () -> everything(actor, key), visible));
        cells.add(cell(
                "_summary=count",
                () -> count(actor, patient, "&_summary=count"),
                intersect(visible, OBSERVATIONS).size()));
        cells.add(cell(
                "_total=accurate",
                () -> count(actor, patient, "&_total=accurate"),
                intersect(visible, OBSERVATIONS).size()));
        cells.add(DynamicTest.dynamicTest("_has and chains", () -> {
            String has = "Patient?_id=" + patient + "&_has:Observation:subject:code=75622-1";
            String chain = "Observation?subject.family=" + id(key);
            if (actor.equals("A")) {
                // Consents restrict A, so parameters that match on other resources are refused.
                assertRefused(get(actor, has), "VGL-1104");
                assertRefused(get(actor, chain), "VGL-1104");
            } else {
                assertThat(search(actor, key, has)).isEqualTo(Set.of("patient"));
                assertThat(search(actor, key, chain)).isEqualTo(OBSERVATIONS);
            }
        }));
        return cells.stream();
    }

    @Test
    void breakGlass_onlyForTheRole_andItRevealsWhatTheConsentHides() throws Exception {
        String observations = "Observation?patient=" + id("deny-all-patient");
        assertRefused(get("A", observations, "ETREAT"), "VGL-1106");
        assertThat(search("A with break-glass role", "deny-all", observations, "ETREAT"))
                .isEqualTo(OBSERVATIONS);
        assertThat(search("A with break-glass role", "deny-all", observations, "TREAT"))
                .as("the role alone does not break the glass")
                .isEmpty();
    }

    @Test
    void purposeOfUseHeader_unknownCode_isRefusedWith400() throws Exception {
        HttpResponse<String> response = get("A", "Observation?patient=" + id("changes-patient"), "MADE-UP");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(diagnostics(response)).startsWith("VGL-1105").contains("X-Purpose-Of-Use");
    }

    @Test
    void consentCreateUpdateDelete_eachTakesEffectOnTheNextRequest() throws Exception {
        String observations = "Observation?patient=" + id("changes-patient");
        assertThat(search("A", "changes", observations)).isEqualTo(OBSERVATIONS);

        storeConsent("changes", deny(actorA()));
        assertThat(search("A", "changes", observations)).as("after create").isEmpty();

        storeConsent("changes", permitWith(deny(actorA()).addCode(loinc("75622-1"))));
        assertThat(search("A", "changes", observations)).as("after update").isEqualTo(Set.of("hr", "weight"));

        deleteConsent("changes");
        assertThat(search("A", "changes", observations)).as("after delete").isEqualTo(OBSERVATIONS);
    }

    // ---- paths ----

    private Set<String> readable(String actor, String key, String suffix) throws Exception {
        Set<String> seen = new TreeSet<>();
        for (String name : ALL) {
            HttpResponse<String> response = get(actor, type(name) + "/" + id(key + "-" + name) + suffix);
            assertThat(response.statusCode()).as(name + ": " + response.body()).isIn(200, 404);
            if (response.statusCode() == 200) {
                seen.add(name);
            }
        }
        return seen;
    }

    private Set<String> historyOfEach(String actor, String key) throws Exception {
        Set<String> seen = new TreeSet<>();
        for (String name : ALL) {
            seen.addAll(search(actor, key, type(name) + "/" + id(key + "-" + name) + "/_history"));
        }
        return seen;
    }

    private Set<String> everything(String actor, String key) throws Exception {
        HttpResponse<String> response = get(actor, "Patient/" + id(key + "-patient") + "/$everything?_count=500");
        assertThat(response.statusCode()).as(response.body()).isIn(200, 404);
        return response.statusCode() == 404 ? Set.of() : names(key, JSON.readTree(response.body()));
    }

    private int count(String actor, String patient, String mode) throws Exception {
        HttpResponse<String> response = get(actor, "Observation?patient=" + patient + mode);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("total").asInt();
    }

    private String kickOffExport(String actor, String key) throws Exception {
        HttpResponse<String> accepted = send(
                HttpRequest.newBuilder(URI.create(fhirBase() + "/Group/" + id(key + "-group")
                                + "/$export?_type=Patient,Observation,Condition"))
                        .header("Prefer", "respond-async")
                        .GET(),
                tokens.get(actor));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return accepted.headers().firstValue("Content-Location").orElseThrow();
    }

    private Set<String> awaitExport(String actor, String key, String status) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        HttpResponse<String> poll;
        do {
            Thread.sleep(500);
            poll = send(HttpRequest.newBuilder(URI.create(status)).GET(), tokens.get(actor));
        } while (poll.statusCode() == 202 && Instant.now().isBefore(deadline));
        assertThat(poll.statusCode()).as(poll.body()).isEqualTo(200);
        Set<String> seen = new TreeSet<>();
        for (JsonNode output : JSON.readTree(poll.body()).get("output")) {
            // The output file as a Binary resource; its data is the NDJSON.
            HttpResponse<String> file = send(
                    HttpRequest.newBuilder(URI.create(output.get("url").asText()))
                            .GET(),
                    tokens.get(actor));
            assertThat(file.statusCode()).as(file.body()).isEqualTo(200);
            String ndjson = new String(
                    Base64.getDecoder()
                            .decode(JSON.readTree(file.body()).get("data").asText()),
                    StandardCharsets.UTF_8);
            for (String line : ndjson.lines().filter(l -> !l.isBlank()).toList()) {
                seen.add(shortName(key, JSON.readTree(line).get("id").asText()));
            }
        }
        return seen;
    }

    private Set<String> evaluated(String key, String actor) throws Exception {
        Set<String> permitted = new TreeSet<>();
        for (String name : ALL) {
            HttpResponse<String> response = send(
                    HttpRequest.newBuilder(URI.create(fhirBase() + "/Consent/$evaluate?resource=" + type(name) + "/"
                                    + id(key + "-" + name) + "&actor=" + actor))
                            .GET(),
                    adminToken());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            for (JsonNode parameter : JSON.readTree(response.body()).get("parameter")) {
                if (parameter.get("name").asText().equals("decision")
                        && parameter.get("valueCode").asText().equals("permit")) {
                    permitted.add(name);
                }
            }
        }
        return permitted;
    }

    // ---- requests ----

    private Set<String> search(String actor, String key, String path) throws Exception {
        return search(actor, key, path, null);
    }

    private Set<String> search(String actor, String key, String path, String purpose) throws Exception {
        HttpResponse<String> response = get(actor, path, purpose);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return names(key, JSON.readTree(response.body()));
    }

    private HttpResponse<String> get(String actor, String path) throws Exception {
        return get(actor, path, null);
    }

    private HttpResponse<String> get(String actor, String path, String purpose) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fhirBase() + "/" + encoded(path)))
                .GET();
        if (purpose != null) {
            request.header("X-Purpose-Of-Use", purpose);
        }
        return send(request, tokens.get(actor));
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String token) throws Exception {
        return http().send(
                        request.header("Authorization", "Bearer " + token)
                                .header("Accept", "application/fhir+json")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private void put(String type, String name, String json) throws Exception {
        String body = json.replaceFirst("\\{", "{\"id\":\"" + id(name) + "\",");
        HttpResponse<String> response = fhirPut(type + "/" + id(name), body);
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
    }

    /** The patient, three Observations, a Condition and a Group of the patient, ids {@code <run>-<key>-<name>}. */
    private void createPatientData(String key) throws Exception {
        String patient = id(key + "-patient");
        put("Patient", key + "-patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + id(key) + "\"}]}");
        put("Observation", key + "-hr", observation(patient, "8867-4", "Heart rate", "2024-03-01T08:00:00Z", false));
        put(
                "Observation",
                key + "-hiv",
                observation(patient, "75622-1", "HIV 1 and 2 tests", "2024-03-02T08:00:00Z", true));
        put(
                "Observation",
                key + "-weight",
                observation(patient, "29463-7", "Body weight", "2015-06-01T08:00:00Z", false));
        put(
                "Condition",
                key + "-cond",
                "{\"resourceType\":\"Condition\",\"subject\":{\"reference\":\"Patient/" + patient
                        + "\"},\"code\":{\"text\":\"Asthma\"},\"recordedDate\":\"2024-01-05\"}");
        put(
                "Group",
                key + "-group",
                "{\"resourceType\":\"Group\",\"type\":\"person\",\"actual\":true,"
                        + "\"member\":[{\"entity\":{\"reference\":\"Patient/" + patient + "\"}}]}");
    }

    private void storeConsent(String key, ProvisionComponent provision) throws Exception {
        Consent consent = new Consent();
        consent.setId(id(key + "-consent"));
        consent.setStatus(Consent.ConsentState.ACTIVE);
        consent.setScope(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", null)));
        consent.addCategory(loinc("59284-0"));
        consent.setPatient(new Reference("Patient/" + id(key + "-patient")));
        consent.setDateTimeElement(DateTimeType.now());
        consent.addPolicy().setUri("https://vigil.health/fhir/policy/consent-matrix");
        consent.setProvision(provision);
        HttpResponse<String> response =
                fhirPut("Consent/" + id(key + "-consent"), FHIR.newJsonParser().encodeResourceToString(consent));
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
    }

    private void deleteConsent(String key) throws Exception {
        HttpResponse<String> response = send(
                HttpRequest.newBuilder(URI.create(fhirBase() + "/Consent/" + id(key + "-consent")))
                        .DELETE(),
                adminToken());
        assertThat(response.statusCode()).as(response.body()).isIn(200, 204);
    }

    // ---- fixtures ----

    private ProvisionComponent actorA() {
        ProvisionComponent provision = new ProvisionComponent();
        CodeableConcept role = new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", "information recipient"));
        provision.addActor().setRole(role).setReference(new Reference("Practitioner/" + id("dr-a")));
        provision
                .addActor()
                .setRole(role)
                .setReference(new Reference()
                        .setIdentifier(
                                new Identifier().setSystem(CLIENT_ID_SYSTEM).setValue(id("backend-a"))));
        return provision;
    }

    private static ProvisionComponent deny(ProvisionComponent provision) {
        return provision.setType(ConsentProvisionType.DENY);
    }

    private static ProvisionComponent permit() {
        return new ProvisionComponent().setType(ConsentProvisionType.PERMIT);
    }

    private static ProvisionComponent permitWith(ProvisionComponent child) {
        return withChild(permit(), child);
    }

    private static ProvisionComponent withChild(ProvisionComponent parent, ProvisionComponent child) {
        parent.addProvision(child);
        return parent;
    }

    private static Coding resourceType(String type) {
        return new Coding("http://hl7.org/fhir/resource-types", type, null);
    }

    private static CodeableConcept loinc(String code) {
        return new CodeableConcept(new Coding(LOINC, code, null));
    }

    private static Period period(String start, String end) {
        Period period = new Period();
        if (start != null) {
            period.setStartElement(new DateTimeType(start));
        }
        if (end != null) {
            period.setEndElement(new DateTimeType(end));
        }
        return period;
    }

    private static String observation(
            String patient, String code, String display, String effective, boolean restricted) {
        return "{\"resourceType\":\"Observation\""
                + (restricted
                        ? ",\"meta\":{\"security\":[{\"system\":\"" + CONFIDENTIALITY + "\",\"code\":\"R\"}]}"
                        : "")
                + ",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"" + LOINC + "\",\"code\":\"" + code
                + "\",\"display\":\"" + display + "\"}]},\"subject\":{\"reference\":\"Patient/" + patient
                + "\"},\"effectiveDateTime\":\"" + effective + "\",\"valueString\":\"recorded\"}";
    }

    private TestIssuer.Token user(String practitioner) {
        return TestIssuer.shared()
                .token(FHIR_BASE, "user/*.rs")
                .fhirUser("Practitioner/" + id(practitioner))
                .claim("azp", id("clinician-app"));
    }

    private String backend(String clientId) {
        return TestIssuer.shared()
                .token(FHIR_BASE, "system/*.rs")
                .claim("azp", clientId)
                .sign();
    }

    // ---- helpers ----

    private record Shape(String key, String name, ProvisionComponent provision, Set<String> seenByA) {}

    private DynamicTest cell(String name, Check<Object> check, Object expected) {
        return DynamicTest.dynamicTest(
                name + " -> " + expected, () -> assertThat(check.get()).isEqualTo(expected));
    }

    @FunctionalInterface
    private interface Check<T> {
        T get() throws Exception;
    }

    private String id(String name) {
        return run + "-" + name;
    }

    private String type(String name) {
        return switch (name) {
            case "patient" -> "Patient";
            case "cond" -> "Condition";
            default -> "Observation";
        };
    }

    private String shortName(String key, String id) {
        String prefix = run + "-" + key + "-";
        return id.startsWith(prefix) ? id.substring(prefix.length()) : id;
    }

    /** One patient's resources in a bundle, by short name; other resources (other tests', the Consent) are left out. */
    private Set<String> names(String key, JsonNode bundle) {
        Set<String> names = new TreeSet<>();
        JsonNode entries = bundle.get("entry");
        if (entries != null) {
            for (JsonNode entry : entries) {
                JsonNode resource = entry.get("resource");
                if (resource != null && resource.has("id")) {
                    String name = shortName(key, resource.get("id").asText());
                    if (ALL.contains(name)) {
                        names.add(name);
                    }
                }
            }
        }
        return names;
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> union = new TreeSet<>();
        for (Set<String> set : sets) {
            union.addAll(set);
        }
        return union;
    }

    private static Set<String> intersect(Set<String> a, Set<String> b) {
        Set<String> both = new TreeSet<>(a);
        both.retainAll(b);
        return both;
    }

    private static void assertRefused(HttpResponse<String> response, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code.equals("VGL-1105") ? 400 : 403);
        assertThat(diagnostics(response)).startsWith(code);
    }

    private static String diagnostics(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body())
                .get("issue")
                .get(0)
                .get("diagnostics")
                .asText();
    }

    private static String encoded(String path) {
        return path.replace("|", "%7C").replace("+", "%2B");
    }
}
