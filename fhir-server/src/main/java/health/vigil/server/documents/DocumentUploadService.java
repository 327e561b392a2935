package health.vigil.server.documents;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import health.vigil.ingestion.api.DocumentIds;
import health.vigil.ingestion.api.DocumentPlan;
import health.vigil.ingestion.api.DocumentUpload;
import health.vigil.ingestion.api.LabReportExtraction;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Patient;

/**
 * Stores uploaded lab reports: reads them with {@link LabReportExtraction} (outside any database
 * transaction: OCR takes seconds) and writes the plan in one transaction as the server. A file already
 * uploaded for the patient is not read again: the earlier result is the answer, so a re-upload neither
 * costs OCR nor undoes a review that has since confirmed the results.
 */
final class DocumentUploadService {

    private final LabReportExtraction extraction;
    private final DaoRegistry daos;
    private final IFhirSystemDao<Bundle, Meta> systemDao;

    DocumentUploadService(LabReportExtraction extraction, DaoRegistry daos, IFhirSystemDao<Bundle, Meta> systemDao) {
        this.extraction = extraction;
        this.daos = daos;
        this.systemDao = systemDao;
    }

    /** The outcome of an upload: what was stored now, or the earlier upload of the same file. */
    record Uploaded(DocumentIds ids, DocumentPlan plan, DiagnosticReport report, boolean earlier) {}

    boolean patientExists(String patientId) {
        return read(Patient.class, "Patient", patientId).isPresent();
    }

    Uploaded upload(DocumentUpload upload) {
        DocumentIds ids = extraction.identify(upload);
        if (read(DocumentReference.class, "DocumentReference", ids.documentReference())
                .isPresent()) {
            DiagnosticReport earlier = read(DiagnosticReport.class, "DiagnosticReport", ids.diagnosticReport())
                    .orElse(null);
            return new Uploaded(ids, null, earlier, true);
        }
        DocumentPlan plan = extraction.plan(upload);
        systemDao.transaction(new SystemRequestDetails(), plan.transaction());
        DiagnosticReport report = read(DiagnosticReport.class, "DiagnosticReport", ids.diagnosticReport())
                .orElseThrow();
        return new Uploaded(ids, plan, report, false);
    }

    private <T extends org.hl7.fhir.instance.model.api.IBaseResource> Optional<T> read(
            Class<T> type, String name, String id) {
        try {
            return Optional.of(daos.getResourceDao(type).read(new IdType(name, id), new SystemRequestDetails()));
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return Optional.empty();
        }
    }
}
