package health.vigil.server.terminology;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.LookupCodeRequest;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.CodeSystem.ConceptPropertyComponent;
import org.hl7.fhir.r4.model.Coding;

/**
 * {@code $lookup} with designations and properties for codes of CodeSystem resources whose concepts are
 * not in HAPI's terminology tables (HAPI stores concepts there only for {@code content} complete or
 * not-present, so a {@code fragment} such as Vigil's LOINC subset is answered from the resource, and
 * HAPI's in-memory support would give the display alone). It sits after the terminology tables in the
 * validation chain: a code system stored there (a full LOINC release) is answered by HAPI first.
 */
final class CodeSystemResourceLookup implements IValidationSupport {

    private final FhirContext fhirContext;

    CodeSystemResourceLookup(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    @Override
    public FhirContext getFhirContext() {
        return fhirContext;
    }

    @Override
    public String getName() {
        return "Vigil CodeSystem resource lookup";
    }

    @Override
    public boolean isCodeSystemSupported(ValidationSupportContext context, String system) {
        return codeSystem(context, system).isPresent();
    }

    @Override
    public LookupCodeResult lookupCode(ValidationSupportContext context, LookupCodeRequest request) {
        Optional<CodeSystem> codeSystem = codeSystem(context, request.getSystem());
        if (codeSystem.isEmpty()) {
            return null;
        }
        LookupCodeResult result =
                new LookupCodeResult().setSearchedForSystem(request.getSystem()).setSearchedForCode(request.getCode());
        Optional<ConceptDefinitionComponent> concept = find(codeSystem.get().getConcept(), request.getCode());
        if (concept.isEmpty()) {
            return result.setFound(false)
                    .setErrorMessage(
                            "Unable to find code[" + request.getCode() + "] in system[" + request.getSystem() + "]");
        }
        result.setFound(true);
        result.setCodeDisplay(concept.get().getDisplay());
        result.setCodeSystemDisplayName(codeSystem.get().getTitle());
        result.setCodeSystemVersion(codeSystem.get().getVersion());
        concept.get().getDesignation().forEach(designation -> result.getDesignations()
                .add(new ConceptDesignation()
                        .setLanguage(designation.getLanguage())
                        .setUseSystem(designation.getUse().getSystem())
                        .setUseCode(designation.getUse().getCode())
                        .setUseDisplay(designation.getUse().getDisplay())
                        .setValue(designation.getValue())));
        Collection<String> wanted = request.getPropertyNames();
        concept.get().getProperty().stream()
                .filter(property -> wanted == null || wanted.isEmpty() || wanted.contains(property.getCode()))
                .map(CodeSystemResourceLookup::property)
                .forEach(result.getProperties()::add);
        return result;
    }

    private static BaseConceptProperty property(ConceptPropertyComponent property) {
        if (property.getValue() instanceof Coding coding) {
            return new CodingConceptProperty(
                    property.getCode(), coding.getSystem(), coding.getCode(), coding.getDisplay());
        }
        if (property.hasValueBooleanType()) {
            return new BooleanConceptProperty(
                    property.getCode(), property.getValueBooleanType().booleanValue());
        }
        return new StringConceptProperty(property.getCode(), property.getValue().primitiveValue());
    }

    /** Only content modes HAPI does not store as terms: fragment and example. */
    private static Optional<CodeSystem> codeSystem(ValidationSupportContext context, String system) {
        if (system == null) {
            return Optional.empty();
        }
        IBaseResource resource = context.getRootValidationSupport().fetchCodeSystem(system);
        if (resource instanceof CodeSystem codeSystem
                && (codeSystem.getContent() == CodeSystem.CodeSystemContentMode.FRAGMENT
                        || codeSystem.getContent() == CodeSystem.CodeSystemContentMode.EXAMPLE)) {
            return Optional.of(codeSystem);
        }
        return Optional.empty();
    }

    private static Optional<ConceptDefinitionComponent> find(List<ConceptDefinitionComponent> concepts, String code) {
        for (ConceptDefinitionComponent concept : concepts) {
            if (concept.getCode().equals(code)) {
                return Optional.of(concept);
            }
            Optional<ConceptDefinitionComponent> nested = find(concept.getConcept(), code);
            if (nested.isPresent()) {
                return nested;
            }
        }
        return Optional.empty();
    }
}
