package health.vigil.server.documents;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServerUtils;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import health.vigil.ingestion.api.DocumentIds;
import health.vigil.ingestion.api.DocumentPlan;
import health.vigil.ingestion.api.DocumentUpload;
import health.vigil.ingestion.api.FeedException;
import health.vigil.ingestion.api.IngestionErrors;
import health.vigil.server.ingestion.IngestionHttpErrors;
import java.time.Instant;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * {@code Patient/[id]/$upload-document}: a lab report in the request body, as PDF, PNG, JPEG or TIFF
 * in its own content type, stored as a {@code Binary} and {@code DocumentReference}, read (text layer or
 * OCR) and stored as a preliminary {@code DiagnosticReport} with its results, a {@code Provenance} and a
 * review {@code Task}. The answer names what was stored and every row that needs review; the same file
 * uploaded again for the same patient answers with the earlier result ({@code earlier=true}) and reads
 * nothing. Query parameter {@code title}: the file's name, shown with the document.
 *
 * <p>With {@code Prefer: respond-async} the file is kept and the answer is {@code 202 Accepted} at
 * once, its {@code Content-Location} the {@code $upload-status} that answers once it is read. An
 * upload of a file being read is answered the same way, whatever it prefers.
 */
final class UploadDocumentOperationProvider {

    private final DocumentUploadService service;

    UploadDocumentOperationProvider(DocumentUploadService service) {
        this.service = service;
    }

    @Operation(name = "$upload-document", typeName = "Patient", manualRequest = true)
    public IBaseResource upload(@IdParam IdType patient, RequestDetails request) {
        if (!service.patientExists(patient.getIdPart())) {
            throw new ResourceNotFoundException(patient.toUnqualifiedVersionless());
        }
        byte[] content = request.loadRequestContents();
        if (content == null || content.length == 0) {
            throw new InvalidRequestException(
                    IngestionErrors.INVALID_REQUEST.message("the request has no document in its body"));
        }
        String[] titles = request.getParameters().get("title");
        DocumentUpload upload = new DocumentUpload(
                content,
                request.getHeader(Constants.HEADER_CONTENT_TYPE),
                titles == null || titles.length == 0 ? null : titles[0],
                patient.getIdPart(),
                Instant.now());
        DocumentUploadService.Uploaded uploaded;
        try {
            uploaded = service.upload(upload, respondAsync(request));
        } catch (FeedException e) {
            throw IngestionHttpErrors.of(e);
        }
        if (uploaded.pending()) {
            return AcceptedResponseInterceptor.accept(
                    request, patient.getIdPart(), uploaded.ids().documentReference());
        }
        return response(uploaded);
    }

    /** {@code Prefer: respond-async}: answer 202 now and read the document off the request thread. */
    private static boolean respondAsync(RequestDetails request) {
        String prefer = request.getHeader(Constants.HEADER_PREFER);
        return prefer != null && RestfulServerUtils.parsePreferHeader(prefer).getRespondAsync();
    }

    /** What an upload stored: its DocumentReference, its review Task, and its report when there is one. */
    static void stored(Parameters parameters, DocumentIds ids, DiagnosticReport report) {
        parameters
                .addParameter()
                .setName("documentReference")
                .setValue(new Reference("DocumentReference/" + ids.documentReference()));
        parameters.addParameter().setName("task").setValue(new Reference("Task/" + ids.task()));
        if (report != null) {
            parameters.addParameter().setName("diagnosticReport").setResource(report);
        }
    }

    private static Parameters response(DocumentUploadService.Uploaded uploaded) {
        Parameters parameters = new Parameters();
        parameters.addParameter("earlier", new BooleanType(uploaded.earlier()));
        stored(parameters, uploaded.ids(), uploaded.report());
        OperationOutcome outcome = new OperationOutcome();
        DocumentPlan plan = uploaded.plan();
        if (plan == null) {
            outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                    .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                    .setDiagnostics("this file was uploaded for this patient before; its earlier result is"
                            + " returned and nothing was read or stored");
        } else {
            parameters.addParameter("mediaType", plan.mediaType());
            parameters.addParameter("pages", new IntegerType(plan.pages()));
            parameters.addParameter("ocrPages", new IntegerType(plan.ocrPages()));
            outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                    .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                    .setDiagnostics(plan.results().size() + " results read from " + plan.pages() + " pages ("
                            + plan.ocrPages() + " by OCR), " + plan.toReview() + " need review; all are"
                            + " preliminary until the review Task is completed");
            for (DocumentPlan.ExtractedResult result : plan.results()) {
                Parameters.ParametersParameterComponent part =
                        parameters.addParameter().setName("result");
                part.addPart().setName("observation").setValue(new Reference("Observation/" + result.observationId()));
                part.addPart().setName("page").setValue(new IntegerType(result.page()));
                part.addPart().setName("printed").setValue(new StringType(result.printed()));
                if (result.loincCode() != null) {
                    part.addPart().setName("code").setValue(new StringType(result.loincCode()));
                }
                part.addPart().setName("confidence").setValue(new DecimalType(result.confidence()));
                for (String reason : result.reasons()) {
                    part.addPart().setName("review").setValue(new StringType(reason));
                    outcome.addIssue()
                            .setSeverity(OperationOutcome.IssueSeverity.WARNING)
                            .setCode(OperationOutcome.IssueType.INCOMPLETE)
                            .setDiagnostics("page " + result.page() + ", \"" + result.printed() + "\": " + reason)
                            .addLocation("Observation/" + result.observationId());
                }
            }
        }
        parameters.addParameter().setName("outcome").setResource(outcome);
        return parameters;
    }
}
