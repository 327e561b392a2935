package health.vigil.server.documents;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import health.vigil.ingestion.api.DocumentIds;
import health.vigil.ingestion.api.DocumentPlan;
import health.vigil.ingestion.api.DocumentUpload;
import health.vigil.ingestion.api.FeedException;
import health.vigil.ingestion.api.IngestionErrors;
import health.vigil.ingestion.api.LabReportExtraction;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads documents accepted to be read later ({@code Prefer: respond-async}), off the request thread.
 *
 * <p>What is accepted is stored first: the file (its {@code Binary} and {@code DocumentReference}) and
 * a tracking {@code Task} ({@code Task/[document]-extraction}, identifier {@link
 * DocumentIds#EXTRACTION_TASK_SYSTEM}), in progress. Reading stores the report, its results, the
 * Provenance and the review Task in one transaction with the tracking Task completed, on condition
 * that the tracking Task is still at the version read ({@code If-Match}): a document read twice, by
 * two nodes or after a restart, is stored once. A document that cannot be read leaves the tracking
 * Task failed with the error, and its file deleted, so nothing of it stays but the error.
 *
 * <p>A reading that stops with the server is found again by {@link #resume}: every tracking Task in
 * progress and not updated for a while is read again. Reading costs seconds of OCR per page; at most
 * {@code vigil.ingestion.documents.ocr.threads} documents are read at once.
 */
final class DeferredReading implements AutoCloseable {

    /** Where a failed reading keeps the error's name ({@link IngestionErrors}) in the tracking Task. */
    static final String ERROR_SYSTEM = "https://vigil.health/fhir/CodeSystem/ingestion-error";

    private static final Logger log = LoggerFactory.getLogger(DeferredReading.class);

    private final LabReportExtraction extraction;
    private final DaoRegistry daos;
    private final IFhirSystemDao<Bundle, Meta> systemDao;
    private final ExecutorService readers;
    private final Set<String> reading = ConcurrentHashMap.newKeySet();

    DeferredReading(
            LabReportExtraction extraction, DaoRegistry daos, IFhirSystemDao<Bundle, Meta> systemDao, int threads) {
        this.extraction = extraction;
        this.daos = daos;
        this.systemDao = systemDao;
        AtomicInteger count = new AtomicInteger();
        this.readers = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "vigil-document-reader-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The tracking Task of a document accepted now, in progress; its file is stored with it. */
    static Task tracking(DocumentIds ids, DocumentUpload upload) {
        Task task = new Task();
        task.setId(ids.extractionTask());
        task.addIdentifier().setSystem(DocumentIds.EXTRACTION_TASK_SYSTEM).setValue(ids.documentReference());
        task.setStatus(Task.TaskStatus.INPROGRESS);
        task.setIntent(Task.TaskIntent.ORDER);
        // No reference to the DocumentReference: a document that cannot be read is deleted, the Task kept.
        task.setFor(new Reference("Patient/" + upload.patientId()));
        task.setAuthoredOn(Date.from(upload.received()));
        task.setLastModified(Date.from(upload.received()));
        task.setDescription("Read the lab report DocumentReference/" + ids.documentReference()
                + " and store its results as a preliminary DiagnosticReport");
        return task;
    }

    /** Reads the document soon, unless it is being read on this node already. */
    void submit(String documentId) {
        if (!reading.add(documentId)) {
            return;
        }
        try {
            readers.execute(() -> {
                try {
                    read(documentId);
                } finally {
                    reading.remove(documentId);
                }
            });
        } catch (RejectedExecutionException e) {
            // Shutting down: the tracking Task stays in progress, and a node resumes it.
            reading.remove(documentId);
        }
    }

    /**
     * Reads again every document whose tracking Task has been in progress, not updated, since before
     * {@code waitingSince}: a reading that stopped with a node.
     *
     * @return how many were submitted
     */
    int resume(Instant waitingSince) {
        SearchParameterMap search = SearchParameterMap.newSynchronous(
                Task.SP_IDENTIFIER, new TokenParam(DocumentIds.EXTRACTION_TASK_SYSTEM, null));
        search.add(Task.SP_STATUS, new TokenParam(Task.TaskStatus.INPROGRESS.toCode()));
        search.setLastUpdated(new DateRangeParam(null, Date.from(waitingSince)));
        IBundleProvider found = daos.getResourceDao(Task.class).search(search, new SystemRequestDetails());
        List<IBaseResource> tasks = found.getAllResources();
        int submitted = 0;
        for (IBaseResource resource : tasks) {
            Task task = (Task) resource;
            String documentId = task.getIdentifierFirstRep().getValue();
            if (documentId != null && !reading.contains(documentId)) {
                log.info(
                        "Resuming the reading of {}, waiting since {}",
                        documentId,
                        task.getMeta().getLastUpdated());
                submit(documentId);
                submitted++;
            }
        }
        return submitted;
    }

    /** Reads one accepted document and stores what it reports, or why it cannot be read. */
    void read(String documentId) {
        DocumentIds ids = new DocumentIds(null, documentId, documentId, documentId);
        Optional<Task> found = DocumentStore.read(daos, Task.class, ids.extractionTask());
        if (found.isEmpty() || found.get().getStatus() != Task.TaskStatus.INPROGRESS) {
            return;
        }
        Task task = found.get();
        String version = task.getIdElement().getVersionIdPart();
        try {
            Bundle transaction;
            try {
                if (DocumentStore.read(daos, DiagnosticReport.class, ids.diagnosticReport())
                        .isPresent()) {
                    // Read already (a tracking Task set in progress again by hand): reading it again would
                    // turn results a review has confirmed back to preliminary.
                    transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
                } else {
                    transaction = plan(kept(documentId), documentId).transaction();
                }
                task.setStatus(Task.TaskStatus.COMPLETED);
                task.setLastModified(new Date());
                task.getOutput().clear();
                task.addOutput()
                        .setType(new CodeableConcept().setText("report"))
                        .setValue(new Reference("DiagnosticReport/" + ids.diagnosticReport()));
                task.addOutput()
                        .setType(new CodeableConcept().setText("review"))
                        .setValue(new Reference("Task/" + ids.task()));
            } catch (FeedException e) {
                transaction = failed(task, ids, e);
            }
            put(transaction, task, version);
            systemDao.transaction(new SystemRequestDetails(), transaction);
        } catch (ResourceVersionConflictException | PreconditionFailedException e) {
            log.info("{} was stored by another reading: {}", documentId, e.getMessage());
        } catch (RuntimeException e) {
            // Storage down or a fault of ours: the Task stays in progress and is resumed later.
            log.warn("Reading {} stopped; it is resumed later", documentId, e);
        }
    }

    /**
     * Reads the document. A fault of the reader on this document (not of storage) fails it as unreadable:
     * read again, it would fail again, at every resumption.
     */
    private DocumentPlan plan(DocumentUpload upload, String documentId) {
        try {
            return extraction.plan(upload);
        } catch (FeedException e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("Reading {} failed", documentId, e);
            throw new FeedException(
                    IngestionErrors.UNREADABLE_DOCUMENT, "the document could not be read: " + e.getMessage(), e);
        }
    }

    /** The upload as it was accepted, from its stored file. */
    private DocumentUpload kept(String documentId) {
        Optional<DocumentReference> reference = DocumentStore.read(daos, DocumentReference.class, documentId);
        Optional<Binary> binary = DocumentStore.read(daos, Binary.class, documentId);
        if (reference.isEmpty() || binary.isEmpty()) {
            throw new FeedException(
                    IngestionErrors.UNREADABLE_DOCUMENT, "the document accepted to be read is no longer stored");
        }
        DocumentReference document = reference.get();
        return new DocumentUpload(
                binary.get().getData(),
                binary.get().getContentType(),
                document.getContentFirstRep().getAttachment().getTitle(),
                document.getSubject().getReferenceElement().getIdPart(),
                document.getDate().toInstant());
    }

    /** The Task failed with the error, and the file deleted. */
    private static Bundle failed(Task task, DocumentIds ids, FeedException e) {
        task.setStatus(Task.TaskStatus.FAILED);
        task.setLastModified(new Date());
        task.setStatusReason(new CodeableConcept().setText(e.getMessage()));
        task.setBusinessStatus(
                new CodeableConcept(new Coding(ERROR_SYSTEM, e.error().name(), null)));
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (String type : List.of("DocumentReference", "Binary")) {
            bundle.addEntry()
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.DELETE)
                    .setUrl(type + "/" + ids.documentReference());
        }
        return bundle;
    }

    /** Stores the Task with the rest, only if no one has changed it since it was read. */
    private static void put(Bundle transaction, Task task, String version) {
        transaction
                .addEntry()
                .setFullUrl("Task/" + task.getIdElement().getIdPart())
                .setResource(task)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Task/" + task.getIdElement().getIdPart())
                .setIfMatch("W/\"" + version + "\"");
    }

    @Override
    public void close() {
        readers.shutdownNow();
    }
}
