package health.vigil.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import health.vigil.benchmarks.DeviceReadings.Reading;
import health.vigil.benchmarks.LoadRunner.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workloads of the ingestion suite, in order, against one freshly started Vigil on an empty
 * database with MQTT ingestion on:
 *
 * <ol>
 *   <li>Patients: {@code ingest-patients} of them, created with PUT, not measured.
 *   <li>Baseline: each reading as a FHIR Observation, {@code POST Observation} one per request.
 *   <li>{@code $ingest}: {@code POST Patient/{id}/$ingest} with a batch of device messages, per batch size;
 *       then, for information, the first timed run's batches sent again (already stored).
 *   <li>MQTT: the same batches published with QoS 1 to {@code <prefix>/template-json/Patient/{id}}; a
 *       run lasts from the first publish until the server has stored all its Observations.
 *   <li>Time until searchable: one reading sent by {@code $ingest}, or published, then searched for
 *       until found.
 * </ol>
 *
 * Every workload has a warm-up of half a timed run, then the timed runs. Every reading is new
 * ({@link DeviceReadings}), batches go to the patients in turn, and request bodies are built before
 * a run starts, so the clients spend no CPU on them while the server is measured.
 */
final class IngestWorkloads {

    private static final Logger log = LoggerFactory.getLogger(IngestWorkloads.class);

    /** Patient ids are this prefix and a number from 1. */
    static final String PATIENT_PREFIX = "bench-p";

    private static final String DEVICE_MESSAGES = "application/json";
    /** Pause between two searches while waiting for a single reading: the resolution of that latency. */
    private static final Duration SEARCH_POLL = Duration.ofMillis(10);
    /** A reading not found after this long counts as a failure. */
    private static final Duration SEARCH_TIMEOUT = Duration.ofSeconds(30);
    /** Pause between two counts while waiting for an MQTT run: at most this much is added to its time. */
    private static final Duration MQTT_POLL = Duration.ofMillis(100);
    /** An MQTT run whose count has not grown for this long is over (the rest was refused or is stuck). */
    private static final Duration MQTT_STALL = Duration.ofSeconds(30);
    /** After a run that hit the time limit, how long the server may take to store the rest. */
    private static final Duration MQTT_DRAIN = Duration.ofMinutes(10);

    private final HarnessOptions options;
    private final FhirHttp fhir;
    private final ServerProcess server;
    private final MqttFeed mqtt;
    private final String topicPrefix;
    private final ObjectMapper json;
    private final DeviceReadings readings = new DeviceReadings();
    private final AtomicInteger nextPatient = new AtomicInteger();

    /**
     * @param topicPrefix the server's {@code vigil.ingestion.mqtt.topic-prefix}
     */
    IngestWorkloads(
            HarnessOptions options,
            FhirHttp fhir,
            ServerProcess server,
            MqttFeed mqtt,
            String topicPrefix,
            ObjectMapper json) {
        this.options = options;
        this.fhir = fhir;
        this.server = server;
        this.mqtt = mqtt;
        this.topicPrefix = topicPrefix;
        this.json = json;
    }

    /**
     * What the server measured.
     *
     * @param baseline the Observation POSTs, one reading per request
     * @param batches the {@code $ingest} workloads, one per batch size, then the MQTT ones
     * @param resends per batch size, the first timed run's batches sent to {@code $ingest} again
     * @param searchable time until searchable, by {@code $ingest} and by MQTT
     */
    record Results(
            WorkloadResult baseline,
            List<WorkloadResult> batches,
            List<IngestReport.Resend> resends,
            List<WorkloadResult> searchable) {

        Results {
            batches = List.copyOf(batches);
            resends = List.copyOf(resends);
            searchable = List.copyOf(searchable);
        }
    }

    /** One request body or MQTT message: readings about one patient. */
    private record Batch(String patientId, byte[] payload, int readings) {}

    /** One run of a workload with a number of operations, its inputs prepared before it is timed. */
    @FunctionalInterface
    private interface Run {
        RunResult run(int operations) throws IOException, InterruptedException;
    }

    Results runAll() throws IOException, InterruptedException {
        createPatients();
        WorkloadResult baseline = postOneByOne();
        List<WorkloadResult> batches = new ArrayList<>();
        List<IngestReport.Resend> resends = new ArrayList<>();
        for (int size : options.ingestBatchSizes()) {
            List<Batch> firstTimedRun = new ArrayList<>();
            batches.add(ingestBatches(size, firstTimedRun));
            log.info(
                    "$ingest, {} readings per request: the first timed run's {} batches again",
                    size,
                    firstTimedRun.size());
            resends.add(new IngestReport.Resend(
                    size,
                    runner(options.clients()).run(firstTimedRun.size(), index -> ingest(firstTimedRun.get(index)))));
        }
        for (int size : options.ingestBatchSizes()) {
            batches.add(mqttBatches(size));
        }
        List<WorkloadResult> searchable = List.of(searchableAfterIngest(), searchableAfterMqtt());
        return new Results(baseline, batches, resends, searchable);
    }

    private void createPatients() throws InterruptedException {
        int patients = options.ingestPatients();
        log.info("Creating {} patients", patients);
        RunResult created = runner(options.clients()).run(patients, index -> {
            String id = PATIENT_PREFIX + (index + 1);
            FhirHttp.Response response = fhir.put(
                    "Patient/" + id,
                    "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"name\":[{\"family\":\"Bench\",\"given\":[\"P"
                            + (index + 1) + "\"]}],\"birthDate\":\"1970-01-01\"}");
            return response.ok() ? Outcome.ok(1) : Outcome.failed(response.describe());
        });
        if (created.failures() > 0) {
            throw new IllegalStateException("Creating the patients failed: " + created.firstFailure());
        }
    }

    private String nextPatientId() {
        return PATIENT_PREFIX + (nextPatient.getAndIncrement() % options.ingestPatients() + 1);
    }

    private WorkloadResult postOneByOne() throws IOException, InterruptedException {
        int perRun = options.observationPosts();
        return timedRuns("Observation POST, one reading per request", options.clients(), perRun, operations -> {
            List<String> bodies = new ArrayList<>(operations);
            for (int i = 0; i < operations; i++) {
                bodies.add(DeviceReadings.observation(
                        readings.next(nextPatientId(), 1).get(0)));
            }
            return runner(options.clients()).run(operations, index -> {
                FhirHttp.Response response = fhir.post("Observation", bodies.get(index));
                return response.status() == 201 ? Outcome.ok(1) : Outcome.failed(response.describe());
            });
        });
    }

    private WorkloadResult ingestBatches(int size, List<Batch> firstTimedRun) throws IOException, InterruptedException {
        AtomicInteger run = new AtomicInteger();
        return timedRuns(
                "$ingest, " + size + " readings per request", options.clients(), batchesPerRun(size), operations -> {
                    List<Batch> batches = batches(size, operations);
                    if (run.getAndIncrement() == 1) { // 0 is the warm-up
                        firstTimedRun.addAll(batches);
                    }
                    return runner(options.clients()).run(operations, index -> ingest(batches.get(index)));
                });
    }

    private Outcome ingest(Batch batch) throws IOException, InterruptedException {
        FhirHttp.Response response =
                fhir.post("Patient/" + batch.patientId() + "/$ingest", batch.payload(), DEVICE_MESSAGES);
        if (response.status() != 200) {
            return Outcome.failed(response.describe());
        }
        Optional<IngestAnswer> answer = IngestAnswer.read(response.body());
        if (answer.isEmpty()) {
            return Outcome.failed("no observations count in the answer: " + response.describe());
        }
        if (answer.get().observations() != batch.readings() || answer.get().rejected() > 0) {
            return Outcome.failed("stored " + answer.get().observations() + " Observations of " + batch.readings()
                    + " readings, " + answer.get().rejected() + " rejected");
        }
        return Outcome.ok(answer.get().observations());
    }

    private WorkloadResult mqttBatches(int size) throws IOException, InterruptedException {
        return timedRuns(
                "MQTT, " + size + " readings per message",
                1,
                batchesPerRun(size),
                operations -> mqttRun(batches(size, operations)));
    }

    /**
     * Publishes the batches one after the other (QoS 1) and waits until the server has stored all their
     * Observations: the run's time is from the first publish until a count shows them all, its units are
     * the Observations stored, its failures the reports on the error topic.
     */
    private RunResult mqttRun(List<Batch> batches) throws IOException, InterruptedException {
        Set<String> patients = new LinkedHashSet<>();
        batches.forEach(batch -> patients.add("Patient/" + batch.patientId()));
        String countQuery = "Observation?_summary=count&subject=" + String.join(",", patients);
        long before = count(countQuery);
        long expected = batches.stream().mapToLong(Batch::readings).sum();
        int reportsBefore = mqtt.errorReports();
        double cpuBefore = server.cpuSeconds();
        long start = System.nanoTime();
        for (Batch batch : batches) {
            try {
                mqtt.publish(topicPrefix + "/template-json/Patient/" + batch.patientId(), batch.payload());
            } catch (MqttException e) {
                throw new IOException("Publishing to the MQTT broker failed", e);
            }
        }
        CountWait.Result waited = new CountWait(MQTT_POLL, MQTT_STALL, System::nanoTime)
                .await(
                        () -> count(countQuery) - before,
                        expected,
                        start + options.maxRunTime().toNanos());
        double cpu = server.cpuSeconds() - cpuBefore;
        if (!waited.reached() && !waited.stalled()) {
            // The server is still storing this run's messages: let it finish (untimed), so that the
            // next run counts only its own.
            log.warn(
                    "MQTT run hit the time limit with {} of {} Observations stored; waiting for the rest",
                    waited.count(),
                    expected);
            new CountWait(MQTT_POLL, MQTT_STALL, System::nanoTime)
                    .await(() -> count(countQuery) - before, expected, System.nanoTime() + MQTT_DRAIN.toNanos());
        }
        int reports = mqtt.errorReports() - reportsBefore;
        String firstFailure = reports > 0 ? mqtt.firstErrorReport() : null;
        if (!waited.reached()) {
            String missing = "only " + waited.count() + " of " + expected + " Observations stored after "
                    + (waited.endNanos() - start) / 1_000_000_000 + " s" + (waited.stalled() ? " (stalled)" : "");
            firstFailure = firstFailure == null ? missing : missing + "; " + firstFailure;
        }
        return new RunResult(
                batches.size(),
                Math.max(reports, waited.reached() ? 0 : 1),
                waited.count(),
                (waited.endNanos() - start) / 1e9,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                cpu,
                !waited.reached() && !waited.stalled(),
                firstFailure);
    }

    private long count(String countQuery) throws IOException, InterruptedException {
        FhirHttp.Response response = fhir.getUncached(countQuery);
        if (response.status() != 200) {
            throw new IOException("Counting Observations failed: " + response.describe());
        }
        return json.readTree(response.body()).path("total").asLong();
    }

    private WorkloadResult searchableAfterIngest() throws IOException, InterruptedException {
        return timedRuns(
                "Time until searchable: $ingest, 1 reading", 1, options.searchableSamples(), operations -> runner(1)
                        .run(operations, index -> {
                            Reading reading = readings.nextHeartRate(nextPatientId());
                            Outcome sent = ingest(new Batch(reading.patientId(), payload(List.of(reading)), 1));
                            return sent.succeeded() ? awaitSearchable(reading) : sent;
                        }));
    }

    private WorkloadResult searchableAfterMqtt() throws IOException, InterruptedException {
        return timedRuns(
                "Time until searchable: MQTT, 1 reading", 1, options.searchableSamples(), operations -> runner(1)
                        .run(operations, index -> {
                            Reading reading = readings.nextHeartRate(nextPatientId());
                            try {
                                mqtt.publish(
                                        topicPrefix + "/template-json/Patient/" + reading.patientId(),
                                        payload(List.of(reading)));
                            } catch (MqttException e) {
                                return Outcome.failed("publish failed: " + e);
                            }
                            return awaitSearchable(reading);
                        }));
    }

    /** Searches for the reading until a search finds it. */
    private Outcome awaitSearchable(Reading reading) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + SEARCH_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            FhirHttp.Response response = fhir.getUncached(reading.searchQuery());
            if (response.status() != 200) {
                return Outcome.failed(response.describe());
            }
            if (response.body().contains("\"entry\"")) {
                return Outcome.ok(1);
            }
            Thread.sleep(SEARCH_POLL.toMillis());
        }
        return Outcome.failed(reading.messageId() + " not found after " + SEARCH_TIMEOUT.toSeconds() + " s by "
                + reading.searchQuery());
    }

    private List<Batch> batches(int size, int count) {
        List<Batch> batches = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String patientId = nextPatientId();
            batches.add(new Batch(patientId, payload(readings.next(patientId, size)), size));
        }
        return batches;
    }

    private static byte[] payload(List<Reading> readings) {
        return DeviceReadings.deviceMessages(readings).getBytes(StandardCharsets.UTF_8);
    }

    /** Batches per timed run: {@code ingest-readings} rounded up to whole batches. */
    private int batchesPerRun(int size) {
        return (options.ingestReadings() + size - 1) / size;
    }

    /** A warm-up of half a timed run (at least one operation per client), then the timed runs. */
    private WorkloadResult timedRuns(String name, int clients, int perRun, Run run)
            throws IOException, InterruptedException {
        int warmupOperations = Math.max(clients, perRun / 2);
        log.info("{}: warm-up of {} operations", name, warmupOperations);
        RunResult warmup = run.run(warmupOperations);
        List<RunResult> runs = new ArrayList<>();
        for (int i = 0; i < options.runs(); i++) {
            log.info("{}: run {} of {} operations", name, i + 1, perRun);
            runs.add(run.run(perRun));
        }
        return new WorkloadResult(name, "observations", clients, warmup, runs);
    }

    private LoadRunner runner(int clients) {
        return new LoadRunner(clients, options.maxRunTime(), server::cpuSeconds);
    }
}
