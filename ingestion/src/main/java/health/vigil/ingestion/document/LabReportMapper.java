package health.vigil.ingestion.document;

import health.vigil.ingestion.api.DocumentIds;
import health.vigil.ingestion.api.DocumentUpload;
import health.vigil.ingestion.common.Digests;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;

/**
 * Maps a read lab report to FHIR R4: the file ({@code Binary}, {@code DocumentReference} with its
 * SHA-1 hash and a SHA-256 identifier, the text read as a string so that {@code _content} finds it), a
 * preliminary {@code DiagnosticReport} presenting the file, one preliminary lab {@code Observation} per
 * row (derived from the document, with its confidence and where on which page it was printed), a {@code
 * Provenance} whose agent is a {@code Device} naming the engines, and a review {@code Task}.
 *
 * <p>Machine-read results carry the AI Transparency IG's marks: the {@code AIAST} security label and
 * the {@code AIconfidence} extension.
 */
final class LabReportMapper {

    static final String LOINC = "http://loinc.org";
    static final String UCUM = "http://unitsofmeasure.org";
    static final String SHA256_SYSTEM = "https://vigil.health/fhir/sid/document-sha256";
    /** Marks the review Tasks of read documents; the value is the DiagnosticReport's id. */
    static final String REVIEW_SYSTEM = health.vigil.ingestion.api.DocumentIds.REVIEW_TASK_SYSTEM;

    static final String EXTRACTED_TEXT = "https://vigil.health/fhir/StructureDefinition/extracted-text";
    static final String DOCUMENT_SOURCE = "https://vigil.health/fhir/StructureDefinition/document-source";
    static final String AI_CONFIDENCE = "http://hl7.org/fhir/uv/aitransparency/StructureDefinition/AIconfidence";
    static final String OBSERVATION_VALUE = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";
    static final String INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

    /** What read the document, for the Provenance's Device. */
    record Engine(String id, String name, List<String[]> versions, String configuration) {}

    private final ZoneId zone;

    /** @param zone the zone of printed collection times, which carry none */
    LabReportMapper(ZoneId zone) {
        this.zone = zone;
    }

    Bundle transaction(
            DocumentUpload upload,
            DocumentIds ids,
            String mediaType,
            List<Page> pages,
            LabTable table,
            List<LabResult> results,
            List<String> observationIds,
            Engine engine) {
        Reference patient = new Reference("Patient/" + upload.patientId());
        Date received = Date.from(upload.received());
        String title = title(upload);
        Reference document = new Reference("DocumentReference/" + ids.documentReference());
        String binaryUrl = "Binary/" + ids.documentReference();
        Binary binary = binary(upload, ids, mediaType);
        DocumentReference reference = documentReference(upload, ids, mediaType);
        reference.addExtension(EXTRACTED_TEXT, new StringType(text(pages)));

        Device device = device(engine);
        Reference deviceReference = new Reference("Device/" + engine.id()).setDisplay(engine.name());

        List<Observation> observations = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            observations.add(observation(results.get(i), observationIds.get(i), patient, document, table, received));
        }

        DiagnosticReport report = new DiagnosticReport();
        report.setId(ids.diagnosticReport());
        report.getMeta().addSecurity(aiAsserted());
        report.setStatus(DiagnosticReport.DiagnosticReportStatus.PRELIMINARY);
        report.addCategory(
                new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0074", "LAB", "Laboratory")));
        report.setCode(loinc("11502-2", "Laboratory report"));
        report.setSubject(patient);
        effective(table.collected()).ifPresent(report::setEffective);
        report.setIssued(received);
        if (table.laboratory() != null) {
            report.addPerformer().setDisplay(table.laboratory());
        }
        observations.forEach(observation -> report.addResult(new Reference("Observation/" + observation.getIdPart())));
        report.addPresentedForm(attachment(mediaType, binaryUrl, title, received));

        Provenance provenance = new Provenance();
        provenance.setId(ids.diagnosticReport());
        provenance.addTarget(new Reference("DiagnosticReport/" + ids.diagnosticReport()));
        observations.forEach(
                observation -> provenance.addTarget(new Reference("Observation/" + observation.getIdPart())));
        provenance.setRecorded(received);
        provenance.setActivity(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/v3-DataOperation", "CREATE", "create")));
        provenance
                .addAgent()
                .setType(new CodeableConcept(new Coding(
                        "http://terminology.hl7.org/CodeSystem/provenance-participant-type", "assembler", "Assembler")))
                .setWho(deviceReference);
        provenance.addEntity().setRole(Provenance.ProvenanceEntityRole.SOURCE).setWhat(document);

        Task task = task(ids, patient, title, results, observations, received);

        List<Resource> resources = new ArrayList<>(List.of(binary, reference, device));
        resources.addAll(observations);
        resources.addAll(List.of(report, provenance, task));
        return puts(resources);
    }

    /** The file alone, before it is read: its Binary and its DocumentReference, without extracted text. */
    Bundle file(DocumentUpload upload, DocumentIds ids, String mediaType) {
        return puts(List.of(binary(upload, ids, mediaType), documentReference(upload, ids, mediaType)));
    }

    private static Bundle puts(List<Resource> resources) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (Resource resource : resources) {
            String url = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
            bundle.addEntry()
                    .setFullUrl(url)
                    .setResource(resource)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.PUT)
                    .setUrl(url);
        }
        return bundle;
    }

    private static String title(DocumentUpload upload) {
        return upload.title() == null ? "Laboratory report" : upload.title();
    }

    private static Binary binary(DocumentUpload upload, DocumentIds ids, String mediaType) {
        Binary binary = new Binary();
        binary.setId(ids.documentReference());
        binary.setContentType(mediaType);
        binary.setData(upload.content());
        binary.setSecurityContext(new Reference("Patient/" + upload.patientId()));
        return binary;
    }

    private static DocumentReference documentReference(DocumentUpload upload, DocumentIds ids, String mediaType) {
        Date received = Date.from(upload.received());
        String title = title(upload);
        DocumentReference reference = new DocumentReference();
        reference.setId(ids.documentReference());
        reference.addIdentifier().setSystem(SHA256_SYSTEM).setValue(ids.sha256());
        reference.setStatus(Enumerations.DocumentReferenceStatus.CURRENT);
        reference.setType(loinc("11502-2", "Laboratory report"));
        reference.setSubject(new Reference("Patient/" + upload.patientId()));
        reference.setDate(received);
        reference.setDescription(title);
        reference
                .addContent()
                .setAttachment(attachment(mediaType, "Binary/" + ids.documentReference(), title, received)
                        .setSize(upload.content().length)
                        .setHash(Digests.sha1(upload.content())));
        return reference;
    }

    private Observation observation(
            LabResult result, String id, Reference patient, Reference document, LabTable table, Date received) {
        LabTable.Row row = result.row();
        Observation observation = new Observation();
        observation.setId(id);
        observation.getMeta().addSecurity(aiAsserted());
        observation.addExtension(
                AI_CONFIDENCE,
                new DecimalType(BigDecimal.valueOf(result.confidence()).setScale(2, java.math.RoundingMode.HALF_UP)));
        Extension source = observation.addExtension().setUrl(DOCUMENT_SOURCE);
        source.addExtension("page", new IntegerType(row.page()));
        double[] box = row.box();
        source.addExtension(
                "box",
                new StringType(String.format(Locale.ROOT, "%.0f,%.0f,%.0f,%.0f", box[0], box[1], box[2], box[3])));
        source.addExtension("text", new StringType(row.text()));
        observation.setStatus(Observation.ObservationStatus.PRELIMINARY);
        observation.addCategory(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", "Laboratory")));
        CodeableConcept code = new CodeableConcept().setText(row.name());
        if (result.analyte() != null) {
            code.addCoding(
                    new Coding(LOINC, result.analyte().code(), result.analyte().display()));
        }
        observation.setCode(code);
        observation.setSubject(patient);
        effective(table.collected()).ifPresent(observation::setEffective);
        observation.setIssued(received);
        if (result.value() != null) {
            Quantity quantity = new Quantity().setValue(result.value().value());
            if (result.value().comparator() != null) {
                quantity.setComparator(
                        Quantity.QuantityComparator.fromCode(result.value().comparator()));
            }
            unit(quantity, row.unit(), result.unit());
            observation.setValue(quantity);
        } else {
            observation.setValue(new StringType(row.result()));
        }
        if (result.range() != null) {
            Observation.ObservationReferenceRangeComponent range =
                    observation.addReferenceRange().setText(result.range().text());
            if (result.range().low() != null) {
                range.setLow(unit(new Quantity().setValue(result.range().low()), row.unit(), result.unit()));
            }
            if (result.range().high() != null) {
                range.setHigh(unit(new Quantity().setValue(result.range().high()), row.unit(), result.unit()));
            }
        } else if (!row.range().isEmpty()) {
            observation.addReferenceRange().setText(row.range());
        }
        if (result.interpretation() != null) {
            observation.addInterpretation(
                    new CodeableConcept(new Coding(INTERPRETATION, result.interpretation(), null)).setText(row.flag()));
        }
        observation.addDerivedFrom(document);
        for (String reason : result.reasons()) {
            observation.addNote().setText("Needs review: " + reason);
        }
        return observation;
    }

    private static Task task(
            DocumentIds ids,
            Reference patient,
            String title,
            List<LabResult> results,
            List<Observation> observations,
            Date received) {
        Task task = new Task();
        task.setId(ids.task());
        task.addIdentifier().setSystem(REVIEW_SYSTEM).setValue(ids.diagnosticReport());
        task.setStatus(Task.TaskStatus.REQUESTED);
        task.setIntent(Task.TaskIntent.ORDER);
        task.setCode(new CodeableConcept(new Coding(
                "http://hl7.org/fhir/CodeSystem/task-code", "approve", "Activate/approve the focal resource")));
        task.setFocus(new Reference("DiagnosticReport/" + ids.diagnosticReport()));
        task.setFor(patient);
        task.setAuthoredOn(received);
        long doubtful = results.stream().filter(result -> !result.confident()).count();
        task.setDescription("Confirm or correct the " + results.size() + " results read from " + title + "; " + doubtful
                + " need attention");
        for (int i = 0; i < results.size(); i++) {
            LabResult result = results.get(i);
            if (result.confident()) {
                continue;
            }
            task.addInput()
                    .setType(new CodeableConcept().setText("Result to review"))
                    .setValue(new Reference("Observation/" + observations.get(i).getIdPart())
                            .setDisplay(result.row().text() + ": " + String.join("; ", result.reasons())));
        }
        return task;
    }

    private static Device device(Engine engine) {
        Device device = new Device();
        device.setId(engine.id());
        device.setStatus(Device.FHIRDeviceStatus.ACTIVE);
        device.addDeviceName().setName(engine.name()).setType(Device.DeviceNameType.MANUFACTURERNAME);
        device.setType(new CodeableConcept().setText("Document text extraction (OCR) software"));
        for (String[] version : engine.versions()) {
            device.addVersion()
                    .setType(new CodeableConcept().setText(version[0]))
                    .setValue(version[1]);
        }
        device.addProperty()
                .setType(new CodeableConcept().setText("configuration"))
                .addValueCode(new CodeableConcept().setText(engine.configuration()));
        return device;
    }

    private java.util.Optional<DateTimeType> effective(TemporalAccessor collected) {
        if (collected instanceof LocalDateTime time) {
            DateTimeType type = new DateTimeType(Date.from(time.atZone(zone).toInstant()));
            type.setTimeZone(TimeZone.getTimeZone(zone));
            return java.util.Optional.of(type);
        }
        if (collected instanceof LocalDate date) {
            return java.util.Optional.of(new DateTimeType(date.toString()));
        }
        return java.util.Optional.empty();
    }

    private static Quantity unit(Quantity quantity, String printed, String ucum) {
        if (!printed.isEmpty()) {
            quantity.setUnit(printed);
        }
        if (ucum != null) {
            quantity.setSystem(UCUM).setCode(ucum);
        }
        return quantity;
    }

    private static Attachment attachment(String mediaType, String url, String title, Date created) {
        return new Attachment()
                .setContentType(mediaType)
                .setUrl(url)
                .setTitle(title)
                .setCreation(created);
    }

    private static CodeableConcept loinc(String code, String display) {
        return new CodeableConcept(new Coding(LOINC, code, display));
    }

    private static Coding aiAsserted() {
        return new Coding(OBSERVATION_VALUE, "AIAST", "Artificial Intelligence asserted");
    }

    private static String text(List<Page> pages) {
        StringBuilder text = new StringBuilder();
        for (Page page : pages) {
            text.append(page.text());
        }
        return text.toString().strip();
    }
}
