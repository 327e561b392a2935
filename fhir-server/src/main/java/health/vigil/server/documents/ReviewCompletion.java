package health.vigil.server.documents;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import health.vigil.ingestion.api.DocumentIds;
import health.vigil.ingestion.api.IngestionErrors;
import java.util.Date;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;

/**
 * A reviewer has confirmed (or, by editing them first, corrected) the results read from a document:
 * the report and every result still preliminary become final, and a Provenance records the reviewer
 * ({@code Task.owner}, as verifier) and what they confirmed, each target at the version confirmed.
 */
final class ReviewCompletion {

    private final DaoRegistry daos;

    ReviewCompletion(DaoRegistry daos) {
        this.daos = daos;
    }

    private static DiagnosticReport readReport(
            ca.uhn.fhir.jpa.api.dao.IFhirResourceDao<DiagnosticReport> reports,
            String id,
            SystemRequestDetails system) {
        try {
            return reports.read(new IdType("DiagnosticReport", id), system);
        } catch (ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException
                | ca.uhn.fhir.rest.server.exceptions.ResourceGoneException e) {
            return null;
        }
    }

    static boolean isReview(Task task) {
        return task.getIdentifier().stream()
                .anyMatch(identifier -> DocumentIds.REVIEW_TASK_SYSTEM.equals(identifier.getSystem()));
    }

    /**
     * @throws UnprocessableEntityException when the Task names no reviewer, or its report is gone
     */
    void complete(Task task) {
        if (!task.hasOwner() || !task.getOwner().hasReference()) {
            throw new UnprocessableEntityException(IngestionErrors.INVALID_REQUEST.message(
                    "a completed review Task names its reviewer in Task.owner (Practitioner/[id], ...)"));
        }
        SystemRequestDetails system = new SystemRequestDetails();
        var reports = daos.getResourceDao(DiagnosticReport.class);
        var observations = daos.getResourceDao(Observation.class);
        // Only a Task Vigil wrote for a report confirms it: its id, marker and focus are the report's,
        // and it is for the report's patient. A Task a client marks itself, pointing at some other
        // report, would otherwise confirm results the client was never asked to review.
        String reportId = task.getIdElement().getIdPart();
        boolean own = task.getIdentifier().stream()
                        .anyMatch(identifier -> DocumentIds.REVIEW_TASK_SYSTEM.equals(identifier.getSystem())
                                && reportId.equals(identifier.getValue()))
                && ("DiagnosticReport/" + reportId).equals(task.getFocus().getReference());
        DiagnosticReport report = own ? readReport(reports, reportId, system) : null;
        if (report == null
                || !report.getSubject().getReference().equals(task.getFor().getReference())) {
            throw new UnprocessableEntityException(IngestionErrors.INVALID_REQUEST.message(
                    "this Task is not the review of a read document: its focus, identifier and patient must be"
                            + " those of the report it was written for"));
        }
        Provenance provenance = new Provenance();
        for (Reference result : report.getResult()) {
            Observation observation = observations.read(new IdType(result.getReference()), system);
            if (observation.getStatus() == Observation.ObservationStatus.PRELIMINARY) {
                observation.setStatus(Observation.ObservationStatus.FINAL);
                observation.setIssued(new Date());
                observation =
                        (Observation) observations.update(observation, system).getResource();
            }
            provenance.addTarget(
                    new Reference(observation.getIdElement().toUnqualified().getValue()));
        }
        report.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
        IdType stored = (IdType) reports.update(report, system).getId();
        provenance.getTarget().add(0, new Reference(stored.toUnqualified().getValue()));
        provenance.setRecorded(new Date());
        provenance.setActivity(new CodeableConcept().setText("Review of results read from a document"));
        provenance
                .addAgent()
                .setType(new CodeableConcept(
                        new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "VRF", "verifier")))
                .setWho(task.getOwner().copy());
        provenance
                .addEntity()
                .setRole(Provenance.ProvenanceEntityRole.SOURCE)
                .setWhat(new Reference("Task/" + task.getIdElement().getIdPart()));
        daos.getResourceDao(Provenance.class).create(provenance, system);
    }
}
