package health.vigil.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A seeded Synthea cohort loads as Synthea wrote it (organization and practitioner batches first,
 * then one transaction per patient), and searches by patient, code and date return exactly the
 * counts computed from the bundles themselves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyntheaCohortIT extends ServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOINC = "http://loinc.org";

    /** One loaded patient: its server id and its transaction bundle. */
    record LoadedPatient(String serverId, String fullUrl, JsonNode bundle) {}

    private final List<LoadedPatient> patients = new ArrayList<>();

    @BeforeAll
    void loadCohort() throws Exception {
        Path fhir = SyntheaCohort.fhirDirectory();
        List<Path> files;
        try (Stream<Path> list = Files.list(fhir)) {
            files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.startsWith("hospitalInformation") || name.startsWith("practitionerInformation")) {
                assertAllEntriesSucceeded(name, postBundle(file));
            }
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.startsWith("hospitalInformation") || name.startsWith("practitionerInformation")) {
                continue;
            }
            JsonNode bundle = JSON.readTree(file.toFile());
            JsonNode response = postBundle(file);
            assertAllEntriesSucceeded(name, response);
            for (int i = 0; i < bundle.get("entry").size(); i++) {
                JsonNode entry = bundle.get("entry").get(i);
                if ("Patient".equals(entry.get("resource").get("resourceType").asText())) {
                    String location = response.get("entry")
                            .get(i)
                            .get("response")
                            .get("location")
                            .asText();
                    patients.add(new LoadedPatient(
                            location.split("/")[1], entry.get("fullUrl").asText(), bundle));
                }
            }
        }
        assertThat(patients).hasSizeGreaterThanOrEqualTo(SyntheaCohort.PATIENTS);
    }

    @Test
    void searchByPatient_eachResourceType_countsMatchBundle() throws Exception {
        SoftAssertions softly = new SoftAssertions();
        for (LoadedPatient patient : patients) {
            Map<String, Integer> expected = new TreeMap<>();
            for (JsonNode resource : resourcesOf(patient)) {
                String type = resource.get("resourceType").asText();
                if (refersTo(resource, patient.fullUrl(), "subject")
                        || refersTo(resource, patient.fullUrl(), "patient")) {
                    expected.merge(type, 1, Integer::sum);
                }
            }
            assertThat(expected).containsKeys("Observation", "Encounter", "Condition");
            for (Map.Entry<String, Integer> type : expected.entrySet()) {
                softly.assertThat(count(type.getKey() + "?patient=Patient/" + patient.serverId()))
                        .as("%s for patient %s", type.getKey(), patient.serverId())
                        .isEqualTo(type.getValue());
            }
        }
        softly.assertAll();
    }

    @Test
    void searchObservationsByPatientAndCode_everyLoincCode_countsMatchBundle() throws Exception {
        SoftAssertions softly = new SoftAssertions();
        int checked = 0;
        for (LoadedPatient patient : patients) {
            Map<String, Integer> expected = new TreeMap<>();
            for (JsonNode observation : observationsOf(patient)) {
                for (JsonNode coding : observation.path("code").path("coding")) {
                    if (LOINC.equals(coding.path("system").asText())) {
                        expected.merge(coding.get("code").asText(), 1, Integer::sum);
                    }
                }
            }
            for (Map.Entry<String, Integer> code : expected.entrySet()) {
                softly.assertThat(count("Observation?patient=Patient/" + patient.serverId() + "&code="
                                + encode(LOINC + "|" + code.getKey())))
                        .as("Observation %s for patient %s", code.getKey(), patient.serverId())
                        .isEqualTo(code.getValue());
                checked++;
            }
        }
        softly.assertAll();
        assertThat(checked).isGreaterThan(50);
    }

    @Test
    void searchObservationsByPatientCodeAndDate_perYear_countsMatchBundle() throws Exception {
        SoftAssertions softly = new SoftAssertions();
        for (LoadedPatient patient : patients) {
            Map<String, Map<Integer, Integer>> expected = new HashMap<>();
            for (JsonNode observation : observationsOf(patient)) {
                OffsetDateTime effective = OffsetDateTime.parse(
                        observation.get("effectiveDateTime").asText());
                int year = effective.withOffsetSameInstant(ZoneOffset.UTC).getYear();
                for (JsonNode coding : observation.path("code").path("coding")) {
                    if (LOINC.equals(coding.path("system").asText())) {
                        expected.computeIfAbsent(coding.get("code").asText(), c -> new TreeMap<>())
                                .merge(year, 1, Integer::sum);
                    }
                }
            }
            // The most frequent code per patient, every year it occurs in and the year before.
            String code = expected.entrySet().stream()
                    .max(Map.Entry.comparingByValue((a, b) -> Integer.compare(total(a), total(b))))
                    .orElseThrow()
                    .getKey();
            Map<Integer, Integer> perYear = expected.get(code);
            int firstYear = perYear.keySet().stream().min(Integer::compare).orElseThrow();
            for (int year = firstYear - 1; year <= 2025; year++) {
                String query = "Observation?patient=Patient/" + patient.serverId() + "&code="
                        + encode(LOINC + "|" + code) + "&date=ge" + year + "-01-01T00:00:00Z&date=lt" + (year + 1)
                        + "-01-01T00:00:00Z";
                softly.assertThat(count(query))
                        .as("Observation %s in %s for patient %s", code, year, patient.serverId())
                        .isEqualTo(perYear.getOrDefault(year, 0));
            }
        }
        softly.assertAll();
    }

    @Test
    void searchAllPages_observationsOfOnePatient_returnsEveryObservationOnce() throws Exception {
        LoadedPatient patient = patients.get(0);
        int expected = observationsOf(patient).size();
        List<String> ids = new ArrayList<>();
        String url = fhirBase() + "/Observation?patient=Patient/" + patient.serverId() + "&_count=17&_sort=date";
        for (int page = 0; url != null && page < 1000; page++) {
            JsonNode bundle = getJson(url);
            bundle.path("entry")
                    .forEach(e -> ids.add(e.get("resource").get("id").asText()));
            url = null;
            for (JsonNode link : bundle.path("link")) {
                if ("next".equals(link.get("relation").asText())) {
                    url = link.get("url").asText();
                }
            }
        }
        assertThat(ids).hasSize(expected).doesNotHaveDuplicates();
    }

    private static int total(Map<Integer, Integer> perYear) {
        return perYear.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static List<JsonNode> resourcesOf(LoadedPatient patient) {
        List<JsonNode> resources = new ArrayList<>();
        patient.bundle().get("entry").forEach(e -> resources.add(e.get("resource")));
        return resources;
    }

    private static List<JsonNode> observationsOf(LoadedPatient patient) {
        return resourcesOf(patient).stream()
                .filter(r -> "Observation".equals(r.get("resourceType").asText()))
                .filter(r -> refersTo(r, patient.fullUrl(), "subject"))
                .toList();
    }

    private static boolean refersTo(JsonNode resource, String fullUrl, String element) {
        return fullUrl.equals(resource.path(element).path("reference").asText());
    }

    private int count(String query) throws Exception {
        JsonNode bundle = getJson(fhirBase() + "/" + query + "&_summary=count");
        return bundle.get("total").asInt();
    }

    private JsonNode getJson(String url) throws Exception {
        HttpResponse<String> response = fhirGet(url);
        assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode postBundle(Path file) throws Exception {
        HttpResponse<String> response = fhirPost("", Files.readString(file));
        assertThat(response.statusCode())
                .as("POST %s: %s", file.getFileName(), abbreviate(response.body()))
                .isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static void assertAllEntriesSucceeded(String name, JsonNode response) throws IOException {
        for (JsonNode entry : response.get("entry")) {
            assertThat(entry.get("response").get("status").asText())
                    .as("%s entry %s", name, entry.get("response"))
                    .startsWith("20");
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String text) {
        return text.length() > 600 ? text.substring(0, 600) + "..." : text;
    }
}
