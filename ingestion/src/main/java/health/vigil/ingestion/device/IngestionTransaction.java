package health.vigil.ingestion.device;

import health.vigil.ingestion.api.Measurement;
import health.vigil.ingestion.common.Digests;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * One batch of a feed as one FHIR transaction of PUTs with ids derived from content, so sending the
 * same batch again changes nothing: the raw payload as a {@code Binary} (id from its SHA-256), each
 * device once, the Observations, a {@code DiagnosticReport} for each lab report, and a {@code
 * Provenance} that points from them to the payload.
 */
final class IngestionTransaction {

    private static final String PROVENANCE_ACTIVITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-DataOperation";
    private static final String REPORT_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/v2-0074";

    /** A DiagnosticReport's identifier system: the value is {@code <source>/<report id>}. */
    static final String REPORT_IDENTIFIER_SYSTEM = "https://vigil.health/fhir/sid/lab-report";

    private IngestionTransaction() {}

    /** A measurement and the Observation it was mapped to. */
    record Item(Measurement measurement, Observation observation) {}

    /**
     * The transaction for a batch. A record that appears twice in the batch (same Observation id) is
     * stored once. Lab results that share a {@link Measurement.Report} (same patient, source and report
     * id) become one DiagnosticReport whose {@code result}s are exactly this batch's Observations of
     * it: a lab that corrects one result resends the whole order, as HL7 v2 senders do.
     *
     * @param fhirBase the server's base URL, for the entries' {@code fullUrl}s ({@code https://host/fhir})
     * @param payload the bytes the feed sent, kept as they came
     * @param contentType the payload's media type
     * @param items the batch's measurements with their Observations, in feed order
     */
    static Bundle of(String fhirBase, byte[] payload, String contentType, List<Item> items) {
        Objects.requireNonNull(payload, "payload");
        Map<String, Item> byObservation = new LinkedHashMap<>();
        items.forEach(item ->
                byObservation.putIfAbsent(item.observation().getIdElement().getIdPart(), item));
        if (byObservation.isEmpty()) {
            throw new IllegalArgumentException("a batch without measurements has nothing to store");
        }
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        String digest = Digests.sha256Hex(payload);

        Binary raw = new Binary().setContentType(contentType).setData(payload);
        raw.setId(nameUuid("Binary", digest));
        put(transaction, fhirBase, raw);

        Map<String, Device> devices = new LinkedHashMap<>();
        byObservation.values().stream()
                .map(Item::measurement)
                .filter(measurement -> ObservationMapper.identified(measurement.device()))
                .forEach(measurement -> devices.computeIfAbsent(
                        ObservationMapper.deviceId(measurement.device()), id -> device(id, measurement)));
        devices.values().forEach(device -> put(transaction, fhirBase, device));

        Provenance provenance = new Provenance();
        provenance.setId(nameUuid("Provenance", digest));
        byObservation.values().stream().map(Item::observation).forEach(observation -> {
            put(transaction, fhirBase, observation);
            provenance.addTarget(
                    new Reference("Observation/" + observation.getIdElement().getIdPart()));
        });
        reports(byObservation.values()).forEach(report -> {
            put(transaction, fhirBase, report);
            provenance.addTarget(
                    new Reference("DiagnosticReport/" + report.getIdElement().getIdPart()));
        });
        // Deterministic, so a resent batch leaves the Provenance as it was: the latest measurement's time.
        OffsetDateTime latest = byObservation.values().stream()
                .map(Item::measurement)
                .map(measurement -> measurement.end() != null ? measurement.end() : measurement.start())
                .max(Comparator.naturalOrder())
                .orElseThrow();
        provenance.setRecordedElement(new InstantType(Date.from(latest.toInstant())));
        provenance
                .getActivity()
                .addCoding()
                .setSystem(PROVENANCE_ACTIVITY_SYSTEM)
                .setCode("CREATE");
        devices.keySet().forEach(id -> provenance.addAgent().setWho(new Reference("Device/" + id)));
        // Devices the feed describes but does not identify are named.
        byObservation.values().stream()
                .map(Item::measurement)
                .filter(measurement ->
                        measurement.device() != null && !ObservationMapper.identified(measurement.device()))
                .map(measurement -> measurement.device().name())
                .distinct()
                .forEach(name -> provenance.addAgent().setWho(new Reference().setDisplay(name)));
        // Lab results come from a laboratory, not a device: it is named as the agent.
        byObservation.values().stream()
                .map(Item::measurement)
                .filter(measurement -> measurement.device() == null && measurement.lab() != null)
                .map(measurement -> measurement.lab().report() != null
                                && measurement.lab().report().performer() != null
                        ? measurement.lab().report().performer()
                        : measurement.source())
                .distinct()
                .forEach(lab -> provenance.addAgent().setWho(new Reference().setDisplay(lab)));
        if (!provenance.hasAgent()) {
            provenance.addAgent().setWho(new Reference().setDisplay("unidentified device"));
        }
        provenance
                .addEntity()
                .setRole(Provenance.ProvenanceEntityRole.SOURCE)
                .setWhat(new Reference("Binary/" + raw.getIdElement().getIdPart()));
        put(transaction, fhirBase, provenance);
        return transaction;
    }

    /** The DiagnosticReport's id: one per report of a source about a patient. */
    static String reportId(Measurement measurement) {
        return nameUuid(
                "DiagnosticReport",
                String.join(
                        "|",
                        measurement.patientId(),
                        measurement.source(),
                        measurement.lab().report().id()));
    }

    private static List<DiagnosticReport> reports(Collection<Item> items) {
        Map<String, List<Item>> byReport = new LinkedHashMap<>();
        items.stream()
                .filter(item -> item.measurement().lab() != null
                        && item.measurement().lab().report() != null)
                .forEach(item -> byReport.computeIfAbsent(reportId(item.measurement()), id -> new ArrayList<>())
                        .add(item));
        return byReport.entrySet().stream()
                .map(entry -> report(entry.getKey(), entry.getValue()))
                .toList();
    }

    private static DiagnosticReport report(String id, List<Item> results) {
        Measurement first = results.get(0).measurement();
        Measurement.Report report = first.lab().report();
        DiagnosticReport diagnosticReport = new DiagnosticReport();
        diagnosticReport.setId(id);
        diagnosticReport
                .addIdentifier()
                .setSystem(REPORT_IDENTIFIER_SYSTEM)
                .setValue(first.source() + "/" + report.id());
        diagnosticReport.setStatus(DiagnosticReport.DiagnosticReportStatus.fromCode(
                status(report, results).fhirCode()));
        diagnosticReport.addCategory(new CodeableConcept(new Coding(REPORT_CATEGORY_SYSTEM, "LAB", "Laboratory")));
        Measurement.SourceCode ordered = report.code();
        diagnosticReport.setCode(new CodeableConcept(new Coding(ordered.system(), ordered.code(), ordered.display()))
                .setText(ordered.display()));
        diagnosticReport.setSubject(new Reference("Patient/" + first.patientId()));
        OffsetDateTime observed = report.observed() != null
                ? report.observed()
                : results.stream()
                        .map(item -> item.measurement().start())
                        .min(Comparator.naturalOrder())
                        .orElseThrow();
        diagnosticReport.setEffective(ObservationMapper.dateTime(observed));
        if (report.issued() != null) {
            diagnosticReport.setIssued(Date.from(report.issued().toInstant()));
        }
        if (report.performer() != null) {
            diagnosticReport.addPerformer(new Reference().setDisplay(report.performer()));
        }
        results.forEach(item -> diagnosticReport.addResult(
                new Reference("Observation/" + item.observation().getIdElement().getIdPart())));
        return diagnosticReport;
    }

    /** The report's own status, or, when the lab sent none, the least settled of its results'. */
    private static Measurement.ResultStatus status(Measurement.Report report, List<Item> results) {
        if (report.status() != null) {
            return report.status();
        }
        List<Measurement.ResultStatus> statuses =
                results.stream().map(item -> item.measurement().lab().status()).toList();
        if (statuses.contains(Measurement.ResultStatus.PRELIMINARY)) {
            return Measurement.ResultStatus.PRELIMINARY;
        }
        return statuses.contains(Measurement.ResultStatus.CORRECTED)
                ? Measurement.ResultStatus.CORRECTED
                : Measurement.ResultStatus.FINAL;
    }

    private static Device device(String id, Measurement measurement) {
        Measurement.DeviceIdentity identity = measurement.device();
        Device device = new Device();
        device.setId(id);
        device.addIdentifier().setSystem(identity.system()).setValue(identity.value());
        if (identity.name() != null) {
            device.addDeviceName().setName(identity.name()).setType(Device.DeviceNameType.USERFRIENDLYNAME);
        }
        device.setPatient(new Reference("Patient/" + measurement.patientId()));
        return device;
    }

    private static void put(Bundle transaction, String fhirBase, Resource resource) {
        String url = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
        transaction
                .addEntry()
                .setFullUrl(fhirBase + "/" + url)
                .setResource(resource)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl(url);
    }

    private static String nameUuid(String type, String digest) {
        return UUID.nameUUIDFromBytes((type + "|" + digest).getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
