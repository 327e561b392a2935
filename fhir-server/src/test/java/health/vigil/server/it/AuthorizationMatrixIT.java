package health.vigil.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The authorization matrix: tokens with patient, user and system scopes against every interaction, on
 * the caller's own data and another patient's, including attempts to reach hidden data through
 * includes, {@code _has}, chains, compartments and counts. Every cell states the exact outcome: the
 * status, and for searches exactly which resources come back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixIT extends ServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
    private static final String VITALS = "category=" + CATEGORY + "|vital-signs";

    /** Prefix of every id this run creates, so cells name resources briefly ("me-hr"). */
    private final String run = "mx" + UUID.randomUUID().toString().substring(0, 8);

    private final Map<String, String> tokens = new LinkedHashMap<>();

    @BeforeAll
    void createDataAndTokens() throws Exception {
        put(patient("me", "Me"));
        put(patient("other", "Other"));
        put(patient("writer", "Writer"));
        put("{\"resourceType\":\"Practitioner\",\"id\":\"" + id("dr") + "\",\"name\":[{\"family\":\"Doc\"}]}");
        put(heartRate("me-hr", "me"));
        put(heartRate("other-hr", "other"));
        put(glucose("me-glucose", "me"));
        put(glucose("other-glucose", "other"));
        put(glucose("me-disposable", "me"));
        put(glucose("writer-glucose", "writer"));
        put(glucose("writer-disposable", "writer"));
        put(glucose("writer-disposable-2", "writer"));
        put(condition("me-cond", "me"));
        put(condition("other-cond", "other"));

        String me = id("me");
        String dr = "Practitioner/" + id("dr");
        token("patient/*.rs", me, null, "patient/*.rs");
        token("patient/Observation.rs", me, null, "patient/Observation.rs");
        token("patient/Observation.r", me, null, "patient/Observation.r");
        token("patient/Observation.s", me, null, "patient/Observation.s");
        token("patient vitals", me, null, "patient/Observation.rs?" + VITALS);
        String writer = id("writer");
        token("patient writer", writer, null, "patient/Observation.cruds");
        token("patient vitals writer", writer, null, "patient/Observation.cu?" + VITALS);
        token("patient/*.rs without patient", null, null, "patient/*.rs");
        token("user/*.rs practitioner", null, dr, "user/*.rs");
        token("user/Patient.rs practitioner", null, dr, "user/Patient.rs");
        token("user/Observation.rs practitioner", null, dr, "user/Observation.rs");
        token("user/*.rs patient user", null, "Patient/" + me, "user/*.rs");
        token("user/*.cruds without fhirUser", null, null, "user/*.cruds");
        token("user/Observation.cruds practitioner", null, dr, "user/Observation.cruds");
        token("system/Observation.cruds", null, null, "system/Observation.cruds");
        token("system/*.rs", null, null, "system/*.rs");
        token("system/Observation.rs", null, null, "system/Observation.rs");
        token("no resource scopes", me, null, "openid", "fhirUser", "launch/patient");
        token("invalid scope", me, null, "patient/Observation.sr");
    }

    @TestFactory
    Stream<DynamicTest> read() {
        return cells(
                cell("patient/*.rs", "GET", "Observation/" + id("me-hr"), 200),
                cell("patient/*.rs", "GET", "Observation/" + id("other-hr"), 403),
                cell("patient/*.rs", "GET", "Patient/" + id("me"), 200),
                cell("patient/*.rs", "GET", "Patient/" + id("other"), 403),
                cell("patient/*.rs", "GET", "Practitioner/" + id("dr"), 200),
                cell("patient/Observation.r", "GET", "Observation/" + id("me-hr"), 200),
                cell("patient/Observation.s", "GET", "Observation/" + id("me-hr"), 403),
                cell("patient/Observation.rs", "GET", "Condition/" + id("me-cond"), 403),
                cell("patient vitals", "GET", "Observation/" + id("me-hr"), 200),
                cell("patient vitals", "GET", "Observation/" + id("me-glucose"), 403),
                cell("patient/*.rs without patient", "GET", "Observation/" + id("me-hr"), 403),
                cell("user/*.rs practitioner", "GET", "Observation/" + id("other-hr"), 200),
                cell("user/*.rs patient user", "GET", "Observation/" + id("me-hr"), 200),
                cell("user/*.rs patient user", "GET", "Observation/" + id("other-hr"), 403),
                cell("user/*.cruds without fhirUser", "GET", "Observation/" + id("me-hr"), 403),
                cell("system/*.rs", "GET", "Observation/" + id("other-hr"), 200),
                cell("system/Observation.rs", "GET", "Condition/" + id("me-cond"), 403),
                cell("no resource scopes", "GET", "Patient/" + id("me"), 403),
                cell("invalid scope", "GET", "Observation/" + id("me-hr"), 403),
                cell(null, "GET", "Observation/" + id("me-hr"), 401));
    }

    @TestFactory
    Stream<DynamicTest> vreadAndHistory() {
        return cells(
                cell("patient/*.rs", "GET", "Observation/" + id("me-hr") + "/_history/1", 200),
                cell("patient/*.rs", "GET", "Observation/" + id("other-hr") + "/_history/1", 403),
                cell("patient/*.rs", "GET", "Observation/" + id("me-hr") + "/_history", 200)
                        .ids("me-hr"),
                cell("patient/*.rs", "GET", "Observation/" + id("other-hr") + "/_history", 403),
                cell("patient/*.rs", "GET", "Observation/_history", 403),
                cell("patient/*.rs", "GET", "_history", 403),
                cell("system/*.rs", "GET", "Observation/" + id("other-hr") + "/_history", 200)
                        .ids("other-hr"),
                cell("user/*.rs practitioner", "GET", "Observation/" + id("other-hr") + "/_history/1", 200),
                cell("user/*.rs practitioner", "GET", "Observation/" + id("other-hr") + "/_history", 200)
                        .ids("other-hr"),
                cell("user/*.rs patient user", "GET", "Observation/" + id("other-hr") + "/_history/1", 403),
                cell("system/Observation.rs", "GET", "Condition/" + id("other-cond") + "/_history", 403));
    }

    @TestFactory
    Stream<DynamicTest> search() {
        String both = "Observation?_id=" + id("me-hr") + "," + id("other-hr");
        return cells(
                cell("patient/*.rs", "GET", "Observation", 200).ids("me-hr", "me-glucose", "me-disposable"),
                cell("patient/Observation.s", "GET", "Observation", 200).ids("me-hr", "me-glucose", "me-disposable"),
                cell("patient/Observation.r", "GET", "Observation", 403),
                cell("patient vitals", "GET", "Observation", 200).ids("me-hr"),
                cell("patient vitals", "GET", "Observation?code=http://loinc.org|2345-7", 200)
                        .ids(),
                cell("patient/*.rs", "GET", "Observation?subject=Patient/" + id("other"), 403),
                cell("patient/*.rs", "GET", "Observation?patient=" + id("other"), 403),
                cell("patient/*.rs", "GET", "Patient", 200).ids("me"),
                cell("patient/Observation.rs", "GET", "Condition", 403),
                cell("user/*.rs practitioner", "GET", both, 200).ids("me-hr", "other-hr"),
                cell("user/*.rs patient user", "GET", both, 200).ids("me-hr"),
                cell("system/Observation.rs", "GET", both, 200).ids("me-hr", "other-hr"),
                // HAPI's JPA server has no compartment search (Patient/[id]/Observation): 400 for everyone.
                cell("patient/*.rs", "GET", "Patient/" + id("me") + "/Observation", 400),
                cell("patient/*.rs", "GET", "Patient/" + id("other") + "/Observation", 400),
                cell("user/*.rs practitioner", "GET", "Patient/" + id("other") + "/Observation", 400));
    }

    @TestFactory
    Stream<DynamicTest> counts() {
        return cells(
                cell("patient/*.rs", "GET", "Observation?_summary=count", 200).total(3),
                cell("patient vitals", "GET", "Observation?_summary=count", 200).total(1),
                cell("patient/*.rs", "GET", "Observation?subject=Patient/" + id("other") + "&_summary=count", 403),
                cell("patient vitals", "GET", "Observation?code=http://loinc.org|2345-7&_summary=count", 200)
                        .total(0),
                cell("patient/*.rs", "GET", "Condition?_total=accurate", 200)
                        .ids("me-cond")
                        .total(1));
    }

    @TestFactory
    Stream<DynamicTest> leaksThroughIncludesHasChainsAndOthers() {
        String other = id("other");
        return cells(
                cell("patient/Observation.rs", "GET", "Observation?_include=Observation:performer", 403),
                cell("patient/*.rs", "GET", "Observation?_id=" + id("me-hr") + "&_include=Observation:performer", 200)
                        .ids("me-hr", "dr"),
                cell(
                        "user/Observation.rs practitioner",
                        "GET",
                        "Observation?_id=" + id("me-hr") + "&_include=Observation:subject",
                        403),
                cell("patient/*.rs", "GET", "Patient?_revinclude=Observation:subject", 200)
                        .ids("me", "me-hr", "me-glucose", "me-disposable"),
                cell(
                        "user/Patient.rs practitioner",
                        "GET",
                        "Patient?_id=" + id("me") + "&_revinclude=Observation:subject",
                        403),
                cell("user/Patient.rs practitioner", "GET", "Patient?_has:Observation:patient:code=2345-7", 403)
                        .diagnostics("VGL-1102"),
                cell("patient/*.rs", "GET", "Patient?_has:Observation:patient:code=2345-7", 200)
                        .ids("me"),
                cell(
                                "user/Observation.rs practitioner",
                                "GET",
                                "Observation?subject:Patient.family=Matrix" + run + "Other",
                                403)
                        .diagnostics("VGL-1102"),
                cell("patient/*.rs", "GET", "Observation?subject:Patient.family=Matrix" + run + "Other", 200)
                        .ids(),
                cell("user/*.rs practitioner", "GET", "Observation?subject:Patient.family=Matrix" + run + "Other", 200)
                        .ids("other-hr", "other-glucose"),
                cell("patient/*.rs", "GET", "Observation?_contained=true", 405),
                cell("patient/*.rs", "GET", "Patient/" + other + "/$graphql?query={name{family}}", 400),
                cell("patient/*.rs", "GET", "?_type=Observation", 400));
    }

    @TestFactory
    Stream<DynamicTest> writes() {
        return cells(
                cell("patient writer", "POST", "Observation", 201).body(glucose(null, "writer")),
                cell("patient writer", "POST", "Observation", 403).body(glucose(null, "other")),
                cell("patient/Observation.rs", "POST", "Observation", 403).body(glucose(null, "me")),
                cell("user/*.rs practitioner", "POST", "Observation", 403).body(glucose(null, "me")),
                cell("patient vitals writer", "POST", "Observation", 403).body(glucose(null, "writer")),
                cell("patient vitals writer", "POST", "Observation", 201).body(heartRate(null, "writer")),
                cell("patient writer", "PUT", "Observation/" + id("writer-glucose"), 200)
                        .body(glucose("writer-glucose", "writer")),
                cell("patient writer", "PUT", "Observation/" + id("other-glucose"), 403)
                        .body(glucose("other-glucose", "other")),
                cell("patient writer", "PUT", "Observation/" + id("other-glucose"), 403)
                        .body(glucose("other-glucose", "writer")),
                cell("patient writer", "PUT", "Observation/" + id("me-glucose"), 403)
                        .body(glucose("me-glucose", "writer")),
                cell("patient/Observation.rs", "PUT", "Observation/" + id("me-glucose"), 403)
                        .body(glucose("me-glucose", "me")),
                cell("patient writer", "DELETE", "Observation/" + id("other-glucose"), 403),
                cell("patient/Observation.rs", "DELETE", "Observation/" + id("me-disposable"), 403),
                cell("patient writer", "DELETE", "Observation/" + id("me-disposable"), 403),
                cell("patient writer", "DELETE", "Observation/" + id("writer-disposable"), 200),
                // Practitioners and backend services write any patient's data (here the writer's, so the
                // exact result sets of the other cells stay as they are).
                cell("user/Observation.cruds practitioner", "POST", "Observation", 201)
                        .body(glucose(null, "writer")),
                cell("user/Observation.cruds practitioner", "PUT", "Observation/" + id("writer-glucose"), 200)
                        .body(glucose("writer-glucose", "writer")),
                cell("user/Observation.cruds practitioner", "POST", "Condition", 403)
                        .body(condition(null, "writer")),
                cell("user/*.cruds without fhirUser", "POST", "Observation", 403)
                        .body(glucose(null, "writer")),
                cell("system/Observation.cruds", "POST", "Observation", 201).body(glucose(null, "writer")),
                cell("system/Observation.cruds", "DELETE", "Observation/" + id("writer-disposable-2"), 200),
                cell("system/*.rs", "POST", "Observation", 403).body(glucose(null, "writer")));
    }

    @TestFactory
    Stream<DynamicTest> everythingAndExport() {
        return cells(
                cell("patient/*.rs", "GET", "Patient/" + id("me") + "/$everything", 200)
                        .ids("me", "me-hr", "me-glucose", "me-disposable", "me-cond", "dr"),
                cell("patient/*.rs", "GET", "Patient/" + id("other") + "/$everything", 403),
                cell("patient/Observation.rs", "GET", "Patient/" + id("me") + "/$everything", 403),
                cell("user/*.rs practitioner", "GET", "Patient/" + id("other") + "/$everything", 200)
                        .ids("other", "other-hr", "other-glucose", "other-cond", "dr"),
                cell("system/*.rs", "GET", "$export", 202).async(),
                cell("system/Observation.rs", "GET", "$export?_type=Observation", 202)
                        .async(),
                cell("system/Observation.rs", "GET", "$export", 403).async(),
                cell("system/Observation.rs", "GET", "$export?_type=Condition", 403)
                        .async(),
                cell("patient/*.rs", "GET", "$export", 403).async(),
                cell("patient/*.rs", "GET", "Patient/$export", 403).async(),
                cell("user/*.rs practitioner", "GET", "$export", 403).async());
    }

    @TestFactory
    Stream<DynamicTest> transactions() {
        String marker = "tx-" + UUID.randomUUID();
        return cells(
                cell("patient writer", "POST", "", 200).body(transaction(glucoseMarked("writer", marker + "-ok"))),
                cell("patient writer", "POST", "", 403)
                        .body(transaction(glucoseMarked("writer", marker), glucoseMarked("other", marker)))
                        .thenNothingStoredWith(marker),
                cell("patient/Observation.rs", "POST", "", 403)
                        .body(transaction(glucoseMarked("me", marker + "-ro")))
                        .thenNothingStoredWith(marker + "-ro"),
                cell("patient/*.rs", "POST", "", 200)
                        .body(batchOfReads("Observation/" + id("me-hr"), "Observation/" + id("me-glucose")))
                        .ids("me-hr", "me-glucose"),
                // A batch is judged entry by entry: the refused entry is a 403 inside the batch response.
                cell("patient/*.rs", "POST", "", 200)
                        .body(batchOfReads("Observation/" + id("me-hr"), "Observation/" + id("other-hr")))
                        .ids("me-hr")
                        .entryStatuses("200", "403"),
                cell("patient/*.rs", "POST", "", 200)
                        .body(batchOfReads("Observation?code=8867-4"))
                        .ids()
                        .entryStatuses("403"),
                cell("system/*.rs", "POST", "", 200)
                        .body(batchOfReads("Observation/" + id("me-hr"), "Observation/" + id("other-hr")))
                        .ids("me-hr", "other-hr"));
    }

    // ---- the cells ----

    private Cell cell(String token, String method, String path, int status) {
        return new Cell(token, method, path, status);
    }

    private Stream<DynamicTest> cells(Cell... cells) {
        return Arrays.stream(cells).map(cell -> DynamicTest.dynamicTest(cell.toString(), cell::check));
    }

    /** One interaction by one token, and exactly what it must give. */
    private final class Cell {
        private final String tokenName;
        private final String method;
        private final String path;
        private final int status;
        private String body;
        private Set<String> ids;
        private Integer total;
        private String diagnostics;
        private boolean async;
        private String nothingStoredMarker;
        private List<String> entryStatuses;

        Cell(String tokenName, String method, String path, int status) {
            this.tokenName = tokenName;
            this.method = method;
            this.path = path;
            this.status = status;
        }

        Cell body(String json) {
            this.body = json;
            return this;
        }

        /** Exactly these resources (short names) come back. */
        Cell ids(String... names) {
            this.ids = new TreeSet<>(Arrays.asList(names));
            return this;
        }

        Cell total(int expected) {
            this.total = expected;
            return this;
        }

        Cell diagnostics(String code) {
            this.diagnostics = code;
            return this;
        }

        /** The batch response's entries have these statuses, in order. */
        Cell entryStatuses(String... statuses) {
            this.entryStatuses = List.of(statuses);
            return this;
        }

        Cell async() {
            this.async = true;
            return this;
        }

        Cell thenNothingStoredWith(String marker) {
            this.nothingStoredMarker = marker;
            return this;
        }

        void check() throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            URI.create(path.isEmpty() ? fhirBase() : fhirBase() + "/" + encoded(path)))
                    .header("Accept", "application/fhir+json");
            if (tokenName != null) {
                request.header("Authorization", "Bearer " + tokens.get(tokenName));
            }
            if (async) {
                request.header("Prefer", "respond-async");
            }
            if (body != null) {
                request.header("Content-Type", "application/fhir+json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response = http().send(request.build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode())
                    .as("%s%n%s", this, response.body())
                    .isEqualTo(status);
            if (async && status == 202) {
                cancelExport(response);
            }
            if (status >= 400) {
                JsonNode outcome = JSON.readTree(response.body());
                assertThat(outcome.get("resourceType").asText()).isEqualTo("OperationOutcome");
                if (status == 403
                        && outcome.get("issue")
                                .get(0)
                                .get("diagnostics")
                                .asText()
                                .startsWith("VGL-")) {
                    assertThat(response.headers().firstValue("WWW-Authenticate"))
                            .get()
                            .asString()
                            .contains("error=\"insufficient_scope\"");
                }
                if (diagnostics != null) {
                    assertThat(outcome.get("issue").get(0).get("diagnostics").asText())
                            .startsWith(diagnostics);
                }
                assertThat(response.body())
                        .as("a refusal reveals no hidden data")
                        .doesNotContain(id("other-"));
            }
            if (ids != null) {
                assertThat(shortNames(JSON.readTree(response.body())))
                        .as(toString())
                        .isEqualTo(ids);
            }
            if (total != null) {
                assertThat(JSON.readTree(response.body()).get("total").asInt())
                        .as(toString())
                        .isEqualTo(total);
            }
            if (entryStatuses != null) {
                List<String> statuses = new ArrayList<>();
                JSON.readTree(response.body())
                        .get("entry")
                        .forEach(entry -> statuses.add(
                                entry.get("response").get("status").asText().split(" ")[0]));
                assertThat(statuses).as(toString()).isEqualTo(entryStatuses);
                assertThat(response.body()).as("no entry reveals hidden data").doesNotContain(id("other-"));
            }
            if (nothingStoredMarker != null) {
                HttpResponse<String> stored = fhirGet(encoded(
                        "Observation?identifier=" + IDENTIFIERS + "|" + nothingStoredMarker + "&_summary=count"));
                assertThat(JSON.readTree(stored.body()).get("total").asInt())
                        .as("nothing of a refused transaction is stored")
                        .isZero();
            }
        }

        /**
         * These cells judge who may start an export, not the export itself: the job is cancelled at once,
         * so it does not run beside the other cells (a running export made a concurrent DELETE fail with
         * 409 on PostgreSQL).
         */
        private void cancelExport(HttpResponse<String> accepted) throws Exception {
            String status = accepted.headers().firstValue("Content-Location").orElseThrow();
            http().send(
                            HttpRequest.newBuilder(URI.create(status))
                                    .header("Authorization", "Bearer " + tokens.get(tokenName))
                                    .DELETE()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
        }

        @Override
        public String toString() {
            return (tokenName == null ? "no token" : tokenName) + ": " + method + " " + path.replace(run + "-", "")
                    + " -> " + status + (ids == null ? "" : " " + ids) + (total == null ? "" : " total " + total);
        }
    }

    // ---- data ----

    private static final String IDENTIFIERS = "http://example.org/vigil-it/matrix";

    private String id(String name) {
        return run + "-" + name;
    }

    /** Characters a URI may not hold as they are, as clients send them. */
    private static String encoded(String path) {
        return path.replace("|", "%7C").replace("{", "%7B").replace("}", "%7D");
    }

    private Set<String> shortNames(JsonNode bundle) {
        Set<String> names = new TreeSet<>();
        JsonNode entries = bundle.get("entry");
        if (entries != null) {
            for (JsonNode entry : entries) {
                JsonNode resource = entry.get("resource");
                if (resource == null || resource.get("resourceType").asText().equals("OperationOutcome")) {
                    continue;
                }
                if (resource.get("resourceType").asText().equals("Bundle")) {
                    names.addAll(shortNames(resource));
                    continue;
                }
                String resourceId = resource.get("id").asText();
                names.add(resourceId.startsWith(run + "-") ? resourceId.substring(run.length() + 1) : resourceId);
            }
        }
        return names;
    }

    private void token(String name, String patient, String fhirUser, String... scopes) {
        TestIssuer.Token token = TestIssuer.shared().token(FHIR_BASE, scopes);
        if (patient != null) {
            token.patient(patient);
        }
        if (fhirUser != null) {
            token.fhirUser(fhirUser);
        }
        tokens.put(name, token.sign());
    }

    private void put(String json) throws Exception {
        JsonNode resource = JSON.readTree(json);
        HttpResponse<String> response = fhirPut(
                resource.get("resourceType").asText() + "/" + resource.get("id").asText(), json);
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
    }

    private String patient(String name, String family) {
        return "{\"resourceType\":\"Patient\",\"id\":\"" + id(name) + "\",\"name\":[{\"family\":\"Matrix" + run + family
                + "\"}]}";
    }

    private String heartRate(String name, String patient) {
        return "{\"resourceType\":\"Observation\"," + (name == null ? "" : "\"id\":\"" + id(name) + "\",")
                + "\"status\":\"final\",\"category\":[{\"coding\":[{\"system\":\"" + CATEGORY
                + "\",\"code\":\"vital-signs\"}]}],"
                + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\",\"display\":\"Heart rate\"}]},"
                + "\"subject\":{\"reference\":\"Patient/" + id(patient) + "\"},"
                + "\"performer\":[{\"reference\":\"Practitioner/" + id("dr") + "\"}],"
                + "\"effectiveDateTime\":\"2026-11-30T08:00:00Z\","
                + "\"valueQuantity\":{\"value\":64,\"unit\":\"beats/minute\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"/min\"}}";
    }

    private String glucose(String name, String patient) {
        return "{\"resourceType\":\"Observation\"," + (name == null ? "" : "\"id\":\"" + id(name) + "\",")
                + "\"status\":\"final\",\"category\":[{\"coding\":[{\"system\":\"" + CATEGORY
                + "\",\"code\":\"laboratory\"}]}],"
                + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"2345-7\"}]},"
                + "\"subject\":{\"reference\":\"Patient/" + id(patient) + "\"},"
                + "\"effectiveDateTime\":\"2026-11-30T08:00:00Z\","
                + "\"valueQuantity\":{\"value\":95,\"unit\":\"mg/dL\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"mg/dL\"}}";
    }

    private String glucoseMarked(String patient, String marker) {
        return glucose(null, patient)
                .replace(
                        "\"status\"",
                        "\"identifier\":[{\"system\":\"" + IDENTIFIERS + "\",\"value\":\"" + marker
                                + "\"}],\"status\"");
    }

    private String condition(String name, String patient) {
        return "{\"resourceType\":\"Condition\"," + (name == null ? "" : "\"id\":\"" + id(name) + "\",")
                + "\"code\":{\"text\":\"Hypertension\"},\"subject\":{\"reference\":\"Patient/" + id(patient) + "\"}}";
    }

    private static String transaction(String... observations) {
        List<String> entries = new ArrayList<>();
        for (String observation : observations) {
            entries.add("{\"resource\":" + observation + ",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}");
        }
        return "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + String.join(",", entries) + "]}";
    }

    private static String batchOfReads(String... urls) {
        List<String> entries = new ArrayList<>();
        for (String url : urls) {
            entries.add("{\"request\":{\"method\":\"GET\",\"url\":\"" + url + "\"}}");
        }
        return "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[" + String.join(",", entries) + "]}";
    }
}
