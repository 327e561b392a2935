package health.vigil.server.documents;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import health.vigil.ingestion.api.DocumentIds;
import health.vigil.ingestion.api.DocumentPlan;
import health.vigil.ingestion.api.DocumentUpload;
import health.vigil.ingestion.api.IngestionErrors;
import health.vigil.ingestion.api.LabReportExtraction;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Task;

/**
 * Stores uploaded lab reports: reads them with {@link LabReportExtraction} (outside any database
 * transaction: OCR takes seconds) and writes the plan in one transaction as the server. A file already
 * uploaded for the patient is not read again: the earlier result is the answer, so a re-upload neither
 * costs OCR nor undoes a review that has since confirmed the results. An upload may instead be kept to
 * be read later ({@link DeferredReading}); its state is then asked for with {@link #status}.
 */
final class DocumentUploadService {

    private final LabReportExtraction extraction;
    private final DaoRegistry daos;
    private final IFhirSystemDao<Bundle, Meta> systemDao;
    private final DeferredReading deferred;

    DocumentUploadService(
            LabReportExtraction extraction,
            DaoRegistry daos,
            IFhirSystemDao<Bundle, Meta> systemDao,
            DeferredReading deferred) {
        this.extraction = extraction;
        this.daos = daos;
        this.systemDao = systemDao;
        this.deferred = deferred;
    }

    /**
     * The outcome of an upload: what was stored now, the earlier upload of the same file, or ({@code
     * pending}) a file kept and being read.
     */
    record Uploaded(DocumentIds ids, DocumentPlan plan, DiagnosticReport report, boolean earlier, boolean pending) {}

    /** Where the reading of an uploaded document stands. */
    sealed interface Status permits Reading, Read, Failed, Unknown {}

    /** Accepted and being read. */
    record Reading(DocumentIds ids) implements Status {}

    /** Read and stored; {@code report} is absent only when the report was deleted since. */
    record Read(DocumentIds ids, DiagnosticReport report) implements Status {}

    /** Accepted to be read later, and could not be read: nothing of it is stored but the error. */
    record Failed(DocumentIds ids, IngestionErrors error, String message) implements Status {}

    /** No document of this id for this patient. */
    record Unknown() implements Status {}

    boolean patientExists(String patientId) {
        return DocumentStore.read(daos, Patient.class, patientId).isPresent();
    }

    /**
     * Stores an upload: read now, or with {@code later} kept (its file and a tracking Task in one
     * transaction) and read off the request thread. A file being read already is answered as pending
     * whichever was asked; a file read before, with its earlier result.
     */
    Uploaded upload(DocumentUpload upload, boolean later) {
        DocumentIds ids = extraction.identify(upload);
        Optional<Task> tracking = DocumentStore.read(daos, Task.class, ids.extractionTask());
        if (tracking.isPresent() && tracking.get().getStatus() == Task.TaskStatus.INPROGRESS) {
            return new Uploaded(ids, null, null, false, true);
        }
        if (DocumentStore.read(daos, DocumentReference.class, ids.documentReference())
                .isPresent()) {
            DiagnosticReport earlier = DocumentStore.read(daos, DiagnosticReport.class, ids.diagnosticReport())
                    .orElse(null);
            return new Uploaded(ids, null, earlier, true, false);
        }
        if (later) {
            Bundle transaction = extraction.file(upload);
            Task task = DeferredReading.tracking(ids, upload);
            Bundle.BundleEntryRequestComponent put = transaction
                    .addEntry()
                    .setFullUrl("Task/" + ids.extractionTask())
                    .setResource(task)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.PUT)
                    .setUrl("Task/" + ids.extractionTask());
            // A failed earlier reading is tried again; two uploads at once keep one.
            tracking.ifPresent(
                    failed -> put.setIfMatch("W/\"" + failed.getIdElement().getVersionIdPart() + "\""));
            systemDao.transaction(new SystemRequestDetails(), transaction);
            deferred.submit(ids.documentReference());
            return new Uploaded(ids, null, null, false, true);
        }
        DocumentPlan plan = extraction.plan(upload);
        systemDao.transaction(new SystemRequestDetails(), plan.transaction());
        DiagnosticReport report = DocumentStore.read(daos, DiagnosticReport.class, ids.diagnosticReport())
                .orElseThrow();
        return new Uploaded(ids, plan, report, false, false);
    }

    /** Where the reading of document {@code documentId}, uploaded for the patient, stands. */
    Status status(String patientId, String documentId) {
        DocumentIds ids = new DocumentIds(null, documentId, documentId, documentId);
        Optional<Task> tracking = DocumentStore.read(daos, Task.class, ids.extractionTask());
        if (tracking.isPresent() && !patientId.equals(forPatient(tracking.get()))) {
            return new Unknown();
        }
        if (tracking.isPresent() && tracking.get().getStatus() == Task.TaskStatus.INPROGRESS) {
            return new Reading(ids);
        }
        Optional<DocumentReference> document = DocumentStore.read(daos, DocumentReference.class, documentId);
        if (document.isPresent()) {
            if (!patientId.equals(
                    document.get().getSubject().getReferenceElement().getIdPart())) {
                return new Unknown();
            }
            return new Read(
                    ids,
                    DocumentStore.read(daos, DiagnosticReport.class, ids.diagnosticReport())
                            .orElse(null));
        }
        if (tracking.isPresent() && tracking.get().getStatus() == Task.TaskStatus.FAILED) {
            Task failed = tracking.get();
            Coding code = failed.getBusinessStatus().getCodingFirstRep();
            return new Failed(ids, error(code), failed.getStatusReason().getText());
        }
        return new Unknown();
    }

    /** The error a failed reading kept; unreadable when the Task names none Vigil knows. */
    private static IngestionErrors error(Coding code) {
        if (DeferredReading.ERROR_SYSTEM.equals(code.getSystem())) {
            for (IngestionErrors error : IngestionErrors.values()) {
                if (error.name().equals(code.getCode())) {
                    return error;
                }
            }
        }
        return IngestionErrors.UNREADABLE_DOCUMENT;
    }

    private static String forPatient(Task task) {
        return task.getFor().getReferenceElement().getIdPart();
    }
}
