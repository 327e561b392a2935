package health.vigil.terminology.api;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.fhir.ucum.UcumEssenceService;
import org.fhir.ucum.UcumService;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The shipped content is valid FHIR, consistent with itself, and covers what the server promises. */
class TerminologyContentTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Set<String> R4_VITAL_SIGNS = Set.of(
            "85353-1", "9279-1", "8867-4", "2708-6", "59408-5", "8310-5", "8302-2", "9843-4", "29463-7", "39156-5",
            "85354-9", "8480-6", "8462-4", "8478-0");
    private static final Set<String> DEVICE_VITALS = Set.of("41950-7", "40443-4", "80404-7");

    private static Terminology terminology;
    private static List<MetadataResource> resources;
    private static CodeSystem loinc;
    private static UcumService ucum;

    @BeforeAll
    static void load() throws Exception {
        terminology = Terminology.load(FHIR);
        resources = terminology.resources();
        loinc = (CodeSystem) resources.get(0);
        try (InputStream essence = UcumEssenceService.class.getResourceAsStream("/ucum-essence.xml")) {
            ucum = new UcumEssenceService(essence);
        }
    }

    static List<String> content() {
        return Terminology.CONTENT;
    }

    @ParameterizedTest
    @MethodSource("content")
    void shippedResource_validatesAgainstR4_withoutErrors(String name) {
        MetadataResource resource = resources.get(Terminology.CONTENT.indexOf(name));

        assertThat(errors(resource)).as(name).isEmpty();
    }

    @Test
    void validation_ofABrokenCopy_reportsErrors() {
        ConceptMap broken =
                (ConceptMap) terminology.resources().get(Terminology.CONTENT.indexOf("ConceptMap-mdc-to-loinc.json"));
        broken.setStatus(null);
        broken.getGroupFirstRep().getElementFirstRep().getTargetFirstRep().setEquivalence(null);

        assertThat(errors(broken)).isNotEmpty();
    }

    private static List<String> errors(MetadataResource resource) {
        PrePopulatedValidationSupport shipped = new PrePopulatedValidationSupport(FHIR);
        resources.forEach(shipped::addResource);
        ValidationSupportChain chain = new ValidationSupportChain(
                new DefaultProfileValidationSupport(FHIR),
                shipped,
                new InMemoryTerminologyServerValidationSupport(FHIR),
                new CommonCodeSystemsTerminologyService(FHIR));
        FhirValidator validator = FHIR.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
        return validator.validateWithResult(resource).getMessages().stream()
                .filter(message -> message.getSeverity() == ResultSeverityEnum.ERROR
                        || message.getSeverity() == ResultSeverityEnum.FATAL)
                .map(SingleValidationMessage::toString)
                .toList();
    }

    @Test
    void shippedResources_haveFixedIdsAndCanonicalUrls() {
        for (MetadataResource resource : resources) {
            assertThat(resource.getIdElement().getIdPart())
                    .as(resource.getUrl())
                    .isNotBlank();
            assertThat(resource.getUrl()).isNotBlank();
        }
        assertThat(resources.stream().map(MetadataResource::getUrl).distinct()).hasSize(resources.size());
    }

    @Test
    void loinc_isMarkedFragment_andCarriesLoincNotice() {
        assertThat(loinc.getUrl()).isEqualTo("http://loinc.org");
        assertThat(loinc.getContent()).isEqualTo(CodeSystem.CodeSystemContentMode.FRAGMENT);
        assertThat(loinc.getCopyright())
                .contains("This material contains content from LOINC (http://loinc.org)")
                .contains("http://loinc.org/license")
                .contains("Regenstrief Institute");
        assertThat(loinc.getIdentifier()).anyMatch(id -> Terminology.LOINC_SUBSET_IDENTIFIER.equals(id.getValue()));
        assertThat(loinc.getCount()).isEqualTo(loinc.getConcept().size());
    }

    @Test
    void catalogue_coversVitalSignsAndAtLeast150Labs() {
        Set<String> codes =
                terminology.analytes().all().stream().map(Analyte::code).collect(Collectors.toSet());
        assertThat(codes).containsAll(R4_VITAL_SIGNS).containsAll(DEVICE_VITALS);
        long labs = terminology.analytes().all().stream()
                .filter(Analyte::laboratory)
                .count();
        assertThat(labs).isGreaterThanOrEqualTo(150);
        Set<String> panels =
                terminology.analytes().all().stream().map(Analyte::panel).collect(Collectors.toSet());
        assertThat(panels)
                .contains("cbc", "chemistry", "electrolytes", "lipids", "diabetes", "thyroid", "urinalysis")
                .contains("coagulation", "renal", "liver", "iron", "vitamins");
    }

    @Test
    void everyLabAnalyte_hasAliasesAndSpecimen_andQuantitativeOnesAUnit() {
        // LOINC names qualitative codes by their property ([Presence], [Type]) or as colour, appearance, panel.
        Pattern qualitative = Pattern.compile("\\[(Presence|Type)]|^(Color|Appearance) of | panel( |$)");
        for (Analyte analyte : terminology.analytes().all()) {
            assertThat(analyte.specimen()).as(analyte.code()).isNotBlank();
            assertThat(analyte.component()).as(analyte.code()).isNotBlank();
            assertThat(analyte.aliases()).as(analyte.code()).isNotEmpty();
            assertThat(analyte.units().isEmpty())
                    .as("%s %s: no unit exactly when qualitative", analyte.code(), analyte.display())
                    .isEqualTo(qualitative.matcher(analyte.display()).find());
        }
    }

    @Test
    void everyLoincCodeInValueSetsAndConceptMaps_existsInTheCodeSystem_withItsDisplay() {
        Map<String, String> displays = loinc.getConcept().stream()
                .collect(Collectors.toMap(
                        CodeSystem.ConceptDefinitionComponent::getCode,
                        CodeSystem.ConceptDefinitionComponent::getDisplay));
        List<String> problems = new ArrayList<>();
        for (MetadataResource resource : resources) {
            if (resource instanceof ValueSet valueSet) {
                valueSet.getCompose().getInclude().stream()
                        .filter(include -> "http://loinc.org".equals(include.getSystem()))
                        .flatMap(include -> include.getConcept().stream())
                        .forEach(concept ->
                                check(displays, resource, concept.getCode(), concept.getDisplay(), problems));
            } else if (resource instanceof ConceptMap map) {
                map.getGroup().stream()
                        .flatMap(group -> group.getElement().stream())
                        .flatMap(element -> element.getTarget().stream())
                        .forEach(target -> check(displays, resource, target.getCode(), target.getDisplay(), problems));
            }
        }
        assertThat(problems).isEmpty();
    }

    private static void check(
            Map<String, String> displays,
            MetadataResource resource,
            String code,
            String display,
            List<String> problems) {
        if (!displays.containsKey(code)) {
            problems.add(resource.getUrl() + ": " + code + " is not in the LOINC CodeSystem");
        } else if (display != null && !display.equals(displays.get(code))) {
            problems.add(
                    resource.getUrl() + ": " + code + " display '" + display + "' is not '" + displays.get(code) + "'");
        }
    }

    @Test
    void everyUnit_parsesAsUcum_andIsInTheUnitsValueSet() {
        ValueSet unitsValueSet = (ValueSet) resources.get(Terminology.CONTENT.indexOf("ValueSet-units.json"));
        Set<String> valueSetUnits = unitsValueSet.getCompose().getIncludeFirstRep().getConcept().stream()
                .map(ValueSet.ConceptReferenceComponent::getCode)
                .collect(Collectors.toSet());
        List<String> problems = new ArrayList<>();
        for (String unit : valueSetUnits) {
            String problem = ucum.validate(unit);
            if (problem != null) {
                problems.add("ValueSet unit " + unit + ": " + problem);
            }
        }
        for (Analyte analyte : terminology.analytes().all()) {
            for (String unit : analyte.units()) {
                if (ucum.validate(unit) != null) {
                    problems.add(analyte.code() + " unit " + unit + ": " + ucum.validate(unit));
                }
                if (!valueSetUnits.contains(unit)) {
                    problems.add(analyte.code() + " unit " + unit + " is missing from the units ValueSet");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyUnitSpelling_normalizesToValidUcum() throws IOException {
        List<String> problems = new ArrayList<>();
        try (InputStream table =
                getClass().getClassLoader().getResourceAsStream("vigil/terminology/unit-spellings.tsv")) {
            for (String line : new String(table.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t");
                UnitResult result = terminology.units().normalize(columns[0]);
                if (!(result instanceof UnitResult.Valid valid) || !valid.ucum().equals(columns[1])) {
                    problems.add(columns[0] + " -> " + result);
                } else if (ucum.validate(valid.ucum()) != null) {
                    problems.add(columns[0] + " -> " + valid.ucum() + ": " + ucum.validate(valid.ucum()));
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /**
     * Each analyte is reachable through each of its own aliases, given its preferred unit and
     * specimen: no alias is shadowed by another code that fits as well.
     */
    @Test
    void everyAlias_withItsAnalytesUnitAndSpecimen_matchesThatAnalyte() {
        Function<Analyte, String> specimenOf = analyte ->
                analyte.specimen().startsWith("^") || analyte.specimen().equals("Arterial system")
                        ? null
                        : analyte.specimen();
        List<String> problems = new ArrayList<>();
        for (Analyte analyte : terminology.analytes().all()) {
            for (String alias : analyte.aliases()) {
                AnalyteQuery query =
                        new AnalyteQuery(alias, analyte.preferredUnit().orElse(null), specimenOf.apply(analyte));
                AnalyteMatch match = terminology.analytes().match(query);
                if (!(match instanceof AnalyteMatch.Matched matched)
                        || !matched.analyte().equals(analyte)) {
                    problems.add(analyte.code() + " '" + alias + "' -> " + match);
                }
            }
        }
        assertThat(problems).isEmpty();
    }
}
