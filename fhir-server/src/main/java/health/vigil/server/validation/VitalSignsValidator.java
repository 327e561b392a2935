package health.vigil.server.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Observation;

/**
 * Validates vital-sign Observations against the FHIR R4 vital-signs profiles: the specific profile for
 * the Observation's LOINC code (heart rate, blood pressure, ...) or else the base {@code vitalsigns}
 * profile. Only errors count; warnings (for example an unknown code system) do not reject. Profiles
 * the Observation declares itself ({@code meta.profile}) are checked when the server knows them and
 * skipped otherwise.
 */
final class VitalSignsValidator {

    private final FhirValidator validator;

    VitalSignsValidator(FhirContext fhirContext, IValidationSupport validationSupport) {
        this.validator = fhirContext.newValidator();
        FhirInstanceValidator instanceValidator = new FhirInstanceValidator(validationSupport);
        instanceValidator.setAnyExtensionsAllowed(true);
        // Other profiles an Observation declares (US Core, ...) are not Vigil's to enforce here.
        instanceValidator.setErrorForUnknownProfiles(false);
        validator.registerValidatorModule(instanceValidator);
    }

    /** Errors that make this Observation invalid; empty when valid or when it is not a vital sign. */
    List<SingleValidationMessage> errors(Observation observation) {
        if (!VitalSignsProfiles.isVitalSign(observation)) {
            return List.of();
        }
        String profile = VitalSignsProfiles.specificProfile(observation).orElse(VitalSignsProfiles.BASE_PROFILE);
        ValidationResult result =
                validator.validateWithResult(observation, new ValidationOptions().addProfile(profile));
        return result.getMessages().stream()
                .filter(message -> message.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .toList();
    }
}
