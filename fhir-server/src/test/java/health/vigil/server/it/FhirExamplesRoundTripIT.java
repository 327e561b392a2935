package health.vigil.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.vigil.server.it.FhirExamples.Example;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.SoftAssertions;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.Test;

/**
 * Every official FHIR R4 example of the resource types Vigil is about is stored and read back
 * unchanged. Examples refer to each other ({@code Patient/example}, ...): they are loaded with the
 * examples they refer to, in reference order (cycles as one transaction), with referential integrity
 * left on. When the build runs both databases, each run takes one half of the examples (with the examples
 * they refer to), so each example is stored and read back once per build.
 */
class FhirExamplesRoundTripIT extends ServerIT {

    static final Set<String> VIGIL_TYPES = Set.of(
            "Patient",
            "Practitioner",
            "Organization",
            "Device",
            "Observation",
            "DiagnosticReport",
            "Medication",
            "MedicationRequest",
            "MedicationAdministration",
            "MedicationDispense",
            "MedicationStatement",
            "AllergyIntolerance",
            "Condition",
            "DocumentReference",
            "Binary",
            "Consent",
            "Provenance",
            "Task",
            "Flag",
            "DetectedIssue",
            "RiskAssessment",
            "Subscription",
            "CodeSystem",
            "ValueSet",
            "ConceptMap");

    /**
     * Examples the specification itself gets wrong, with the reason. They are not loaded, and neither
     * are the examples that refer to them.
     */
    static final Map<String, String> KNOWN_EXCEPTIONS = Map.of(
            "Observation/clinical-gender",
            "performer refers to an Encounter, which Observation.performer does not allow",
            "DocumentReference/example",
            "relatesTo.target refers to the document itself, which cannot exist before it is created",
            "Observation/f202",
            "a body temperature without effective[x], which the R4 bodytemp profile requires (Vigil rejects it, 422)");

    /**
     * Types only the server writes: the audit trail ({@code AuditEvent}) refuses writes through the API
     * (405, {@code VGL-1109}), so its examples, and examples that refer to them, are not loaded; a test
     * below checks that the refusal is what happens.
     */
    static final Set<String> SERVER_WRITTEN_TYPES = Set.of("AuditEvent");

    /**
     * Elements the server sets itself. The server activates a Subscription it accepts (FHIR R4
     * Subscription.status: requested, then active), and stamps its channel with the requester consent
     * filters its notifications for ({@link #REQUESTER_STAMP} extensions, checked below).
     */
    static final Map<String, String> SERVER_MANAGED = Map.of("Subscription", "status");

    static final String REQUESTER_STAMP = "https://vigil.health/fhir/StructureDefinition/subscription-requester-";

    /**
     * Resources that examples refer to but that the example set does not contain (the specification's
     * own errors, e.g. {@code Observation/bodyheight} where the example's id is {@code body-height}).
     * Examples that refer to them, directly or through other examples, cannot be stored with
     * referential integrity on and are left out; any other dangling reference fails the test.
     */
    static final Set<String> KNOWN_MISSING_TARGETS = Set.of(
            "Device/dev1",
            "Device/software",
            "DeviceDefinition/dc102",
            "DiagnosticReport/example",
            "DiagnosticReport/f202",
            "DiagnosticReport/lipids",
            "Observation/bodyheight",
            "Organization/4829",
            "Organization/example",
            "Patient/1",
            "Patient/100",
            "Patient/4",
            "Patient/5",
            "Patient/72",
            "Patient/727127",
            "Patient/899962",
            "Patient/PatientId-patientId",
            "Patient/b248b1b2-1686-4b94-9936-37d7a5f94b51",
            "Patient/brcapat",
            "Patient/infant",
            "Practitioner/12345",
            "Practitioner/13",
            "Practitioner/14",
            "Practitioner/21B",
            "Practitioner/3ad0687e-f477-468c-afd5-fcc2bf897809",
            "Specimen/genetics-example1-somatic");

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void officialAuditEventExamples_writtenThroughTheApi_areRefused() throws Exception {
        List<Example> audits = FhirExamples.load().ofTypes(SERVER_WRITTEN_TYPES);
        assertThat(audits).isNotEmpty();
        for (Example audit : audits) {
            HttpResponse<String> put = fhirPut(audit.key(), audit.json());
            assertThat(put.statusCode()).as(audit.key() + ": " + put.body()).isEqualTo(405);
            assertThat(put.body()).contains("VGL-1109");
            HttpResponse<String> post = fhirPost("AuditEvent", audit.json());
            assertThat(post.statusCode()).as(audit.key() + ": " + post.body()).isEqualTo(405);
        }
        String transaction = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
                + audits.get(0).json() + ",\"request\":{\"method\":\"POST\",\"url\":\"AuditEvent\"}}]}";
        HttpResponse<String> inTransaction = fhirPost("", transaction);
        assertThat(inTransaction.statusCode()).as(inTransaction.body()).isEqualTo(405);
        assertThat(inTransaction.body()).contains("VGL-1109");
    }

    @Test
    void officialExamples_loadedInReferenceOrder_readBackUnchanged() throws Exception {
        FhirExamples examples = FhirExamples.load();
        Set<String> missingTargets = new TreeSet<>();
        List<Example> roots = examples.ofTypes(VIGIL_TYPES).stream()
                .filter(e -> !KNOWN_EXCEPTIONS.containsKey(e.key()))
                .filter(e -> {
                    Set<String> missing = new TreeSet<>();
                    Map<String, Example> needed = examples.closure(List.of(e), missing);
                    missingTargets.addAll(missing);
                    return missing.isEmpty()
                            && needed.keySet().stream()
                                    .noneMatch(key -> KNOWN_EXCEPTIONS.containsKey(key)
                                            || SERVER_WRITTEN_TYPES.contains(key.split("/")[0]));
                })
                .toList();
        assertThat(roots).hasSizeGreaterThan(2400);
        // A build that runs both databases stores half of the examples on each (10 minutes of the
        // suite otherwise); a run on one database alone stores all of them.
        roots = roots.stream().filter(root -> ItDatabase.takes(root.key())).toList();

        Map<String, Example> closure = examples.closure(roots, new TreeSet<>());
        Map<String, String> loadFailures = new ConcurrentSkipListMap<>();
        // Groups of one level depend only on earlier levels, so each level loads with a few clients.
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            for (List<List<Example>> level : FhirExamples.loadLevels(closure)) {
                List<Future<?>> loads = new ArrayList<>();
                for (List<Example> group : level) {
                    loads.add(clients.submit(() -> {
                        load(group, loadFailures);
                        return null;
                    }));
                }
                for (Future<?> load : loads) {
                    load.get();
                }
            }
        } finally {
            clients.shutdownNow();
        }

        Map<String, String> roundTripFailures = new TreeMap<>();
        IParser parser = FHIR.newJsonParser();
        for (Example example : roots) {
            if (loadFailures.containsKey(example.key())) {
                continue;
            }
            HttpResponse<String> read = fhirGet(example.type() + "/" + example.id());
            if (read.statusCode() != 200) {
                roundTripFailures.put(example.key(), "read returned " + read.statusCode());
                continue;
            }
            ObjectNode expected = normalized(parser, example.json());
            ObjectNode actual = normalized(parser, read.body());
            if (SERVER_MANAGED.containsKey(example.type())) {
                expected.remove(SERVER_MANAGED.get(example.type()));
                actual.remove(SERVER_MANAGED.get(example.type()));
            }
            if (example.type().equals("Subscription")
                    && actual.path("channel").path("extension").isArray()) {
                com.fasterxml.jackson.databind.node.ArrayNode extensions =
                        (com.fasterxml.jackson.databind.node.ArrayNode)
                                actual.path("channel").path("extension");
                int stamps = 0;
                for (int i = extensions.size() - 1; i >= 0; i--) {
                    if (extensions.get(i).path("url").asText().startsWith(REQUESTER_STAMP)) {
                        extensions.remove(i);
                        stamps++;
                    }
                }
                if (stamps == 0) {
                    roundTripFailures.put(example.key(), "the Subscription carries no requester stamp");
                }
                if (extensions.isEmpty()) {
                    ((ObjectNode) actual.get("channel")).remove("extension");
                }
            }
            JsonDiff.firstDifference(expected, actual).ifPresent(d -> roundTripFailures.put(example.key(), d));
        }

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(missingTargets)
                .as("references to resources that are not among the examples")
                .isEqualTo(new TreeSet<>(KNOWN_MISSING_TARGETS));
        softly.assertThat(loadFailures).as("examples the server refused").isEmpty();
        softly.assertThat(roundTripFailures)
                .as("examples that did not read back unchanged")
                .isEmpty();
        softly.assertAll();
    }

    /** Parsed and re-encoded by HAPI, without meta (server-assigned version, lastUpdated, source). */
    private static ObjectNode normalized(IParser parser, String json) throws IOException {
        IBaseResource resource = parser.parseResource(json);
        ObjectNode node = (ObjectNode) JSON.readTree(parser.encodeResourceToString(resource));
        node.remove("meta");
        return node;
    }

    private void load(List<Example> group, Map<String, String> failures) throws Exception {
        if (group.size() == 1) {
            Example example = group.get(0);
            HttpResponse<String> response = fhirPut(example.type() + "/" + example.id(), example.json());
            if (response.statusCode() != 201 && response.statusCode() != 200) {
                failures.put(example.key(), response.statusCode() + " " + abbreviate(response.body()));
            }
            return;
        }
        ObjectNode bundle =
                JSON.createObjectNode().put("resourceType", "Bundle").put("type", "transaction");
        ArrayNode entries = bundle.putArray("entry");
        for (Example example : group) {
            ObjectNode entry = entries.addObject();
            entry.put("fullUrl", fhirBase() + "/" + example.key());
            entry.set("resource", JSON.readTree(example.json()));
            entry.putObject("request").put("method", "PUT").put("url", example.key());
        }
        HttpResponse<String> response = fhirPost("", JSON.writeValueAsString(bundle));
        if (response.statusCode() != 200) {
            for (Example example : group) {
                failures.put(
                        example.key(),
                        "cycle transaction: " + response.statusCode() + " " + abbreviate(response.body()));
            }
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 400 ? text.substring(0, 400) + "..." : text;
    }
}
