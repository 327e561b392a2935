package health.vigil.server.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.util.OperationOutcomeUtil;
import ca.uhn.fhir.validation.SingleValidationMessage;
import health.vigil.server.VigilErrors;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Observation;

/**
 * Rejects vital-sign Observations that do not conform to the R4 vital-signs profiles with 422 and an
 * OperationOutcome listing each problem and where it is. Runs before storage on create and update,
 * whatever the path (REST, transaction entry, internal write), so nothing invalid is stored; except
 * internal writes {@link Prevalidated} by construction (device ingestion).
 */
@Interceptor(order = VitalSignsValidationInterceptor.ORDER)
final class VitalSignsValidationInterceptor {

    /** Before Vigil's other storage interceptors: an invalid resource should go no further. */
    static final int ORDER = 100;

    private final FhirContext fhirContext;
    private final VitalSignsValidator validator;

    VitalSignsValidationInterceptor(FhirContext fhirContext, VitalSignsValidator validator) {
        this.fhirContext = fhirContext;
        this.validator = validator;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void beforeCreate(IBaseResource resource, RequestDetails request) {
        if (!Prevalidated.isMarked(request)) {
            check(resource);
        }
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void beforeUpdate(IBaseResource oldResource, IBaseResource newResource, RequestDetails request) {
        if (!Prevalidated.isMarked(request)) {
            check(newResource);
        }
    }

    private void check(IBaseResource resource) {
        if (!(resource instanceof Observation observation)) {
            return;
        }
        List<SingleValidationMessage> errors = validator.errors(observation);
        if (errors.isEmpty()) {
            return;
        }
        IBaseOperationOutcome outcome = OperationOutcomeUtil.newInstance(fhirContext);
        for (SingleValidationMessage error : errors) {
            OperationOutcomeUtil.addIssue(
                    fhirContext,
                    outcome,
                    "error",
                    VigilErrors.VITAL_SIGNS_INVALID.message(error.getMessage()),
                    error.getLocationString(),
                    "invariant");
        }
        throw new UnprocessableEntityException(
                VigilErrors.VITAL_SIGNS_INVALID.message(
                        "Observation does not conform to the FHIR R4 vital-signs profiles: " + errors.size()
                                + " error(s)"),
                outcome);
    }
}
