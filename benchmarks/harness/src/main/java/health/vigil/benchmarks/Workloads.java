package health.vigil.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.vigil.benchmarks.Cohort.CohortBundle;
import health.vigil.benchmarks.Cohort.ObservationEntry;
import health.vigil.benchmarks.LoadRunner.Operation;
import health.vigil.benchmarks.LoadRunner.Outcome;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmark workloads, run in order against one freshly started server on an empty database.
 * Later workloads use what ingest stored: the ids the server assigned to patients and observations.
 *
 * <ol>
 *   <li>Reference data: the hospital and practitioner batch bundles, one client (informational).
 *   <li>Ingest: the patient transaction bundles. The first bundles are the warm-up; the rest are
 *       split evenly into the timed runs, so each run stores different patients, in the same order
 *       on both servers.
 *   <li>Observation POST: a vital-signs Observation (heart rate) per request, for loaded patients.
 *   <li>Read by id: {@code GET Observation/{id}} for ingested Observations, with all clients and
 *       with one client.
 *   <li>Search: {@code Observation?patient=&code=&date=} built from ingested Observations, so every
 *       search has at least one result; no search is repeated within a server's run.
 * </ol>
 *
 * Every fixed-count workload runs a warm-up of half a timed run's operations first; warm-up and timed
 * runs use consecutive, different items (patients, ids, queries).
 */
final class Workloads {

    private static final Logger log = LoggerFactory.getLogger(Workloads.class);

    /** A valid vital-signs heart rate, so that Vigil's validation accepts it (and pays its cost). */
    private static final String HEART_RATE =
            """
            {"resourceType":"Observation","status":"final",
             "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category",
               "code":"vital-signs","display":"Vital Signs"}]}],
             "code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}],"text":"Heart rate"},
             "subject":{"reference":"Patient/%s"},
             "effectiveDateTime":"%s",
             "valueQuantity":{"value":%d,"unit":"beats/minute","system":"http://unitsofmeasure.org","code":"/min"}}
            """;

    private static final Instant POSTED_OBSERVATIONS_START = Instant.parse("2025-01-01T00:00:00Z");

    private final HarnessOptions options;
    private final Cohort cohort;
    private final FhirHttp fhir;
    private final ServerProcess server;
    private final ObjectMapper json;

    Workloads(HarnessOptions options, Cohort cohort, FhirHttp fhir, ServerProcess server, ObjectMapper json) {
        this.options = options;
        this.cohort = cohort;
        this.fhir = fhir;
        this.server = server;
        this.json = json;
    }

    /**
     * What one server measured.
     *
     * @param referenceData the single-client load of the hospital and practitioner bundles
     * @param workloads the measured workloads, in the order they ran
     */
    record Results(RunResult referenceData, List<WorkloadResult> workloads) {}

    Results runAll() throws InterruptedException {
        RunResult referenceData = loadReferenceData();
        AtomicReferenceArray<String> responses =
                new AtomicReferenceArray<>(cohort.patientBundles().size());
        List<WorkloadResult> results = new ArrayList<>();
        results.add(ingest(responses));
        LoadedData loaded = LoadedData.from(cohort, responses, json);
        log.info(
                "Ingest stored {} patients and {} searchable observations",
                loaded.patientIds().size(),
                loaded.observations().size());
        if (loaded.patientIds().isEmpty() || loaded.observations().isEmpty()) {
            throw new IllegalStateException("Ingest stored no patients or observations; see the server log");
        }
        results.add(postObservations(loaded));
        List<ObservationRef> shuffled = new ArrayList<>(loaded.observations());
        Collections.shuffle(shuffled, new Random(options.seed()));
        results.add(readById(shuffled, options.clients(), options.reads()));
        results.add(readById(shuffled, 1, options.singleClientReads()));
        results.add(search(shuffled));
        return new Results(referenceData, results);
    }

    private RunResult loadReferenceData() throws InterruptedException {
        List<CohortBundle> bundles = cohort.referenceBundles();
        log.info("Loading {} reference-data batch bundles, one client", bundles.size());
        return runner(1).run(bundles.size(), index -> postBatch(bundles.get(index)));
    }

    private Outcome postBatch(CohortBundle bundle) throws IOException, InterruptedException {
        FhirHttp.Response response = fhir.post("", bundle.body());
        if (!response.ok()) {
            return Outcome.failed(bundle.fileName() + ": " + response.describe());
        }
        // A batch answers 200 even when entries fail; each entry has its own status.
        int failedEntries = 0;
        String firstStatus = null;
        for (JsonNode entry : json.readTree(response.body()).path("entry")) {
            String status = entry.path("response").path("status").asText();
            if (!status.startsWith("2")) {
                failedEntries++;
                firstStatus = firstStatus == null ? status : firstStatus;
            }
        }
        return failedEntries == 0
                ? Outcome.ok(bundle.entryCount())
                : Outcome.failed(
                        bundle.fileName() + ": " + failedEntries + " batch entries failed, first with " + firstStatus);
    }

    private WorkloadResult ingest(AtomicReferenceArray<String> responses) throws InterruptedException {
        List<CohortBundle> bundles = cohort.patientBundles();
        int warmup = Math.max(options.clients(), bundles.size() * options.ingestWarmupPercent() / 100);
        int timed = bundles.size() - warmup;
        if (timed < options.runs()) {
            throw new IllegalArgumentException("The cohort has " + bundles.size() + " patient bundles: too few for "
                    + warmup + " warm-up bundles and " + options.runs() + " timed runs");
        }
        LoadRunner runner = runner(options.clients());
        log.info("Ingest warm-up: {} patient bundles", warmup);
        RunResult warmupResult = runner.run(warmup, index -> postTransaction(index, responses));
        List<RunResult> runs = new ArrayList<>();
        int first = warmup;
        for (int run = 0; run < options.runs(); run++) {
            // Spread the remainder over the first runs, so run sizes differ by at most one bundle.
            int size = timed / options.runs() + (run < timed % options.runs() ? 1 : 0);
            int start = first;
            log.info("Ingest run {}: patient bundles {} to {}", run + 1, start, start + size - 1);
            runs.add(runner.run(size, index -> postTransaction(start + index, responses)));
            first += size;
        }
        return new WorkloadResult(
                "Ingest: patient transaction bundles", "resources", options.clients(), warmupResult, runs);
    }

    private Outcome postTransaction(int bundleIndex, AtomicReferenceArray<String> responses)
            throws IOException, InterruptedException {
        CohortBundle bundle = cohort.patientBundles().get(bundleIndex);
        FhirHttp.Response response = fhir.post("", bundle.body());
        if (!response.ok()) {
            return Outcome.failed(bundle.fileName() + ": " + response.describe());
        }
        // Parsed after ingest, so that the clients spend no CPU on it while the server is measured.
        responses.set(bundleIndex, response.body());
        return Outcome.ok(bundle.entryCount());
    }

    private WorkloadResult postObservations(LoadedData loaded) throws InterruptedException {
        List<String> patients = loaded.patientIds();
        return measure("Observation POST (vital signs)", options.clients(), options.observationPosts(), index -> {
            String body = HEART_RATE.formatted(
                    patients.get(index % patients.size()),
                    POSTED_OBSERVATIONS_START.plusSeconds(index),
                    60 + index % 40);
            FhirHttp.Response response = fhir.post("Observation", body);
            return response.status() == 201 ? Outcome.ok(1) : Outcome.failed(response.describe());
        });
    }

    private WorkloadResult readById(List<ObservationRef> observations, int clients, int perRun)
            throws InterruptedException {
        return measure("Read Observation by id", clients, perRun, index -> {
            FhirHttp.Response response = fhir.get("Observation/"
                    + observations.get(index % observations.size()).id());
            return response.status() == 200 ? Outcome.ok(1) : Outcome.failed(response.describe());
        });
    }

    private WorkloadResult search(List<ObservationRef> observations) throws InterruptedException {
        // Distinct queries: vanilla HAPI would otherwise answer a repeated search from its result cache.
        Map<String, ObservationRef> distinct = new LinkedHashMap<>();
        for (ObservationRef observation : observations) {
            distinct.putIfAbsent(searchQuery(observation), observation);
        }
        List<String> queries = List.copyOf(distinct.keySet());
        int needed = options.searches() / 2 + options.runs() * options.searches();
        if (queries.size() < needed) {
            log.warn(
                    "Only {} distinct searches for {} search operations: some repeat (vanilla HAPI may answer them from its cache)",
                    queries.size(),
                    needed);
        }
        return measure("Search Observation?patient&code&date", options.clients(), options.searches(), index -> {
            FhirHttp.Response response = fhir.get(queries.get(index % queries.size()));
            if (response.status() != 200) {
                return Outcome.failed(response.describe());
            }
            // Every query was built from a stored Observation, so an empty result is wrong.
            return response.body().contains("\"entry\"")
                    ? Outcome.ok(1)
                    : Outcome.failed("no results for " + queries.get(index % queries.size()));
        });
    }

    private static String searchQuery(ObservationRef observation) {
        return "Observation?patient=" + observation.patientId() + "&code="
                + URLEncoder.encode(observation.code(), StandardCharsets.UTF_8) + "&date=" + observation.day();
    }

    /**
     * A warm-up of half a run, then the timed runs; each run continues with the next operation
     * numbers, so no item is used twice until the workload's items are exhausted.
     */
    private WorkloadResult measure(String name, int clients, int perRun, Operation operation)
            throws InterruptedException {
        LoadRunner runner = runner(clients);
        int warmupOperations = Math.max(clients, perRun / 2);
        log.info("{}, {} client(s): warm-up of {} operations", name, clients, warmupOperations);
        RunResult warmup = runner.run(warmupOperations, operation);
        List<RunResult> runs = new ArrayList<>();
        for (int run = 0; run < options.runs(); run++) {
            int offset = warmupOperations + run * perRun;
            log.info("{}, {} client(s): run {} of {} operations", name, clients, run + 1, perRun);
            runs.add(runner.run(perRun, index -> operation.execute(offset + index)));
        }
        return new WorkloadResult(name, "ops", clients, warmup, runs);
    }

    private LoadRunner runner(int clients) {
        return new LoadRunner(clients, options.maxRunTime(), server::cpuSeconds);
    }

    /** An ingested Observation, by the ids this server assigned. */
    record ObservationRef(String id, String patientId, String code, String day) {}

    /**
     * What ingest stored, in cohort order, by the ids this server assigned: the same logical patients
     * and observations on both servers, whatever their ids.
     */
    record LoadedData(List<String> patientIds, List<ObservationRef> observations) {

        static LoadedData from(Cohort cohort, AtomicReferenceArray<String> responses, ObjectMapper json) {
            List<String> patients = new ArrayList<>();
            List<ObservationRef> observations = new ArrayList<>();
            for (int b = 0; b < responses.length(); b++) {
                String response = responses.get(b);
                if (response == null) {
                    continue; // the bundle failed (or was not sent); its failure is in the ingest results
                }
                List<String> ids = storedIds(response, json);
                CohortBundle bundle = cohort.patientBundles().get(b);
                if (bundle.patientEntry() >= 0) {
                    patients.add(ids.get(bundle.patientEntry()));
                }
                for (ObservationEntry entry : bundle.observations()) {
                    observations.add(new ObservationRef(
                            ids.get(entry.entry()), ids.get(entry.subjectEntry()), entry.code(), entry.day()));
                }
            }
            return new LoadedData(List.copyOf(patients), List.copyOf(observations));
        }

        /** The id of each entry of a transaction response, from {@code response.location} (Type/id/_history/n). */
        private static List<String> storedIds(String response, ObjectMapper json) {
            try {
                List<String> ids = new ArrayList<>();
                for (JsonNode entry : json.readTree(response).path("entry")) {
                    String[] location =
                            entry.path("response").path("location").asText().split("/");
                    ids.add(location.length >= 2 ? location[1] : null);
                }
                return ids;
            } catch (IOException e) {
                throw new IllegalStateException("Unreadable transaction response", e);
            }
        }
    }
}
