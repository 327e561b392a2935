package health.vigil.server.documents;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import jakarta.servlet.http.HttpServletResponse;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Answers {@code 202 Accepted} for a document being read, with where to ask for its result: {@code
 * Content-Location: [base]/Patient/[id]/$upload-status?document=[id]} and {@code Retry-After}. HAPI
 * answers an operation with 200; an operation marks its answer with {@link #accept} and this hook,
 * before the response is written, turns it into a 202.
 */
@Interceptor(order = AcceptedResponseInterceptor.ORDER)
final class AcceptedResponseInterceptor {

    /** Before the audit reads the answer's status. */
    static final int ORDER = 0;

    /** Seconds a client is told to wait before it asks again: about one scanned page's reading. */
    static final int RETRY_AFTER_SECONDS = 2;

    private static final String STATUS_URL = AcceptedResponseInterceptor.class.getName() + ".statusUrl";

    /** The body of a 202 for the document, and the marks that make the answer one. */
    static OperationOutcome accept(RequestDetails request, String patientId, String documentId) {
        String statusUrl =
                request.getFhirServerBase() + "/Patient/" + patientId + "/$upload-status?document=" + documentId;
        request.getUserData().put(STATUS_URL, statusUrl);
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                .setDiagnostics(
                        "DocumentReference/" + documentId + " is kept and being read; its result is at " + statusUrl);
        return outcome;
    }

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public boolean responding(RequestDetails request, ResponseDetails response, HttpServletResponse servlet) {
        Object statusUrl = request.getUserData().get(STATUS_URL);
        if (statusUrl != null) {
            response.setResponseCode(202);
            servlet.setHeader(Constants.HEADER_CONTENT_LOCATION, statusUrl.toString());
            servlet.setHeader(Constants.HEADER_RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
        }
        return true;
    }
}
