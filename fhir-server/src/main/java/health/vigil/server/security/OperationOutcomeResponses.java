package health.vigil.server.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.util.OperationOutcomeUtil;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;

/** Writes an OperationOutcome as the body of an error the security layer answers itself. */
final class OperationOutcomeResponses {

    private final FhirContext fhirContext;

    OperationOutcomeResponses(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    void write(HttpServletResponse response, int status, String code, String message) throws IOException {
        IBaseOperationOutcome outcome = OperationOutcomeUtil.newInstance(fhirContext);
        OperationOutcomeUtil.addIssue(fhirContext, outcome, "error", message, null, code);
        response.setStatus(status);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentType(Constants.CT_FHIR_JSON_NEW + ";charset=UTF-8");
        response.getWriter().write(fhirContext.newJsonParser().encodeResourceToString(outcome));
    }
}
