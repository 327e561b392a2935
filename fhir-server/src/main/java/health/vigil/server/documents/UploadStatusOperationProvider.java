package health.vigil.server.documents;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import health.vigil.ingestion.api.IngestionErrors;
import health.vigil.server.ingestion.IngestionHttpErrors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;

/**
 * {@code Patient/[id]/$upload-status?document=[id]}: where a document uploaded with {@code Prefer:
 * respond-async} stands. {@code 202} while it is read; {@code 200} with what was stored once it is
 * ({@code documentReference}, {@code task} for the review, {@code diagnosticReport} with its results);
 * the error the upload would have had (422, 503, ...) when it could not be read, its file then deleted;
 * 404 for a document the patient has not uploaded.
 */
final class UploadStatusOperationProvider {

    private final DocumentUploadService service;

    UploadStatusOperationProvider(DocumentUploadService service) {
        this.service = service;
    }

    @Operation(name = "$upload-status", typeName = "Patient", idempotent = true)
    public IBaseResource status(
            @IdParam IdType patient,
            @OperationParam(name = "document", min = 1, max = 1) StringType document,
            RequestDetails request) {
        if (document == null || document.isEmpty()) {
            throw new InvalidRequestException(
                    IngestionErrors.INVALID_REQUEST.message("parameter document names the uploaded document"));
        }
        String documentId = document.getValue();
        DocumentUploadService.Status status = service.status(patient.getIdPart(), documentId);
        if (status instanceof DocumentUploadService.Reading) {
            return AcceptedResponseInterceptor.accept(request, patient.getIdPart(), documentId);
        }
        if (status instanceof DocumentUploadService.Failed failed) {
            throw IngestionHttpErrors.of(failed.error(), failed.message());
        }
        if (status instanceof DocumentUploadService.Read read) {
            Parameters parameters = new Parameters();
            UploadDocumentOperationProvider.stored(parameters, read.ids(), read.report());
            return parameters;
        }
        throw new ResourceNotFoundException(
                "Patient/" + patient.getIdPart() + " has uploaded no document " + documentId);
    }
}
