package health.vigil.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.UriType;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;

/**
 * The shipped terminology, loaded at start, through the standard FHIR terminology operations with
 * HAPI's client: {@code $lookup}, {@code $validate-code}, {@code $expand} and {@code $translate}.
 */
class TerminologyIT extends ServerIT {

    private static final String LOINC = "http://loinc.org";
    private static final String VITAL_SIGNS = "https://vigil.health/fhir/ValueSet/vital-signs";
    private static final String COMMON_LABS = "https://vigil.health/fhir/ValueSet/common-labs";
    private static final String UNITS = "https://vigil.health/fhir/ValueSet/units";
    private static final String HEALTHKIT = "https://vigil.health/fhir/CodeSystem/apple-healthkit";
    private static final String MDC = "urn:iso:std:iso:11073:10101";

    @Test
    void startup_storesTheLoincSubsetOnce_asAFragmentWithLoincsNotice() {
        Bundle found = client().search()
                .forResource(CodeSystem.class)
                .where(CodeSystem.URL.matches().value(LOINC))
                .returnBundle(Bundle.class)
                .execute();

        assertThat(found.getEntry()).hasSize(1);
        CodeSystem loinc = (CodeSystem) found.getEntryFirstRep().getResource();
        assertThat(loinc.getIdElement().getIdPart()).isEqualTo("loinc");
        assertThat(loinc.getContent()).isEqualTo(CodeSystem.CodeSystemContentMode.FRAGMENT);
        assertThat(loinc.getCopyright()).contains("LOINC");
        assertThat(loinc.getConcept()).hasSizeGreaterThan(150);
    }

    @Test
    void lookup_loincCode_givesDisplayAliasesAndProperties() {
        Parameters result = lookup(LOINC, "2345-7");

        assertThat(result.getParameterValue("display").primitiveValue())
                .isEqualTo("Glucose [Mass/volume] in Serum or Plasma");
        assertThat(parts(result, "designation", "value")).contains("Glucose, serum");
        assertThat(parts(result, "property", "code")).contains("SYSTEM", "unit");
    }

    @Test
    void lookup_unknownCode_4xxNamingTheCode() {
        assertThatThrownBy(() -> lookup(LOINC, "99999-9"))
                .isInstanceOfSatisfying(BaseServerResponseException.class, e -> {
                    assertThat(e.getStatusCode()).isBetween(400, 499);
                    assertThat(outcomeText(e)).contains("99999-9");
                });
    }

    @Test
    void lookup_byHttpGet_withPropertyFilter_givesOnlyThatProperty() {
        Parameters result = client().operation()
                .onType(CodeSystem.class)
                .named("$lookup")
                .withParameter(Parameters.class, "system", new UriType(LOINC))
                .andParameter("code", new CodeType("14749-6"))
                .andParameter("property", new CodeType("unit"))
                .useHttpGet()
                .execute();

        assertThat(parts(result, "property", "code")).containsOnly("unit");
        assertThat(parts(result, "property", "value")).contains("mmol/L");
    }

    @Test
    void lookup_withoutACode_400NamingWhatIsMissing() {
        assertThatThrownBy(() -> client().operation()
                        .onType(CodeSystem.class)
                        .named("$lookup")
                        .withParameter(Parameters.class, "system", new UriType(LOINC))
                        .execute())
                .isInstanceOfSatisfying(BaseServerResponseException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(outcomeText(e)).containsIgnoringCase("code");
                });
    }

    @Test
    void validateCode_onTheCodeSystem_knownTrue_unknownFalse() {
        assertThat(validateInCodeSystem("2339-0").getParameterBool("result")).isTrue();
        assertThat(validateInCodeSystem("2339-9").getParameterBool("result")).isFalse();
    }

    @Test
    void validateCode_inVitalSigns_trueForHeartRate_falseForALab() {
        assertThat(validate(VITAL_SIGNS, LOINC, "8867-4", null).getParameterBool("result"))
                .isTrue();
        assertThat(validate(VITAL_SIGNS, LOINC, "2345-7", null).getParameterBool("result"))
                .isFalse();
    }

    /** HAPI's default, kept: a display is not required to match, so a wrong one is a warning. */
    @Test
    void validateCode_wrongDisplay_isValidWithAWarningNamingTheRightDisplay() {
        Parameters result = validate(COMMON_LABS, LOINC, "2345-7", "Glucose in urine");

        assertThat(result.getParameterBool("result")).isTrue();
        assertThat(result.getParameterValue("message").primitiveValue())
                .contains("Glucose in urine")
                .contains("Glucose [Mass/volume] in Serum or Plasma");
    }

    @Test
    void validateCode_ucumUnit_inTheUnitsValueSet() {
        assertThat(validate(UNITS, "http://unitsofmeasure.org", "mg/dL", null).getParameterBool("result"))
                .isTrue();
        assertThat(validate(UNITS, "http://unitsofmeasure.org", "mg/dl", null).getParameterBool("result"))
                .isFalse();
    }

    @Test
    void expand_withFilter_findsTheGlucoseAnalytesOnly() {
        ValueSet expansion = expand(COMMON_LABS, "glucose", null, null);

        Set<String> codes = codes(expansion);
        assertThat(codes).contains("2345-7", "14749-6", "2339-0").doesNotContain("2160-0");
    }

    @Test
    void expand_paged_pagesAreDisjointAndTheTotalIsTheWholeSet() {
        ValueSet first = expand(COMMON_LABS, null, 0, 20);
        ValueSet second = expand(COMMON_LABS, null, 20, 20);
        ValueSet whole = expand(COMMON_LABS, null, null, null);

        assertThat(first.getExpansion().getContains()).hasSize(20);
        assertThat(second.getExpansion().getContains()).hasSize(20);
        assertThat(codes(first)).doesNotContainAnyElementsOf(codes(second));
        assertThat(first.getExpansion().getTotal())
                .isEqualTo(whole.getExpansion().getContains().size());
        assertThat(whole.getExpansion().getContains()).hasSizeGreaterThanOrEqualTo(150);
        assertThat(codes(whole)).containsAll(codes(first)).containsAll(codes(second));
    }

    @Test
    void expand_vitalSignsAndUnits_giveTheirWholeContent() {
        assertThat(codes(expand(VITAL_SIGNS, null, null, null)))
                .contains("8867-4", "85354-9", "8480-6", "41950-7", "80404-7")
                .doesNotContain("2345-7");
        assertThat(codes(expand(UNITS, null, null, null))).contains("mg/dL", "mmol/L", "/min", "[degF]", "mm[Hg]");
    }

    @Test
    void expand_unknownValueSet_4xxNamingIt() {
        assertThatThrownBy(() -> expand("https://vigil.health/fhir/ValueSet/no-such-set", null, null, null))
                .isInstanceOfSatisfying(BaseServerResponseException.class, e -> {
                    assertThat(e.getStatusCode()).isBetween(400, 499);
                    assertThat(outcomeText(e)).contains("no-such-set");
                });
    }

    @Test
    void translate_healthKitHeartRate_isLoincHeartRate() {
        Parameters result = translate(HEALTHKIT, "HKQuantityTypeIdentifierHeartRate");

        assertThat(result.getParameterBool("result")).isTrue();
        assertThat(matches(result)).contains(LOINC + "|8867-4");
    }

    @Test
    void translate_mdcPulseOximetry_isLoincOxygenSaturation() {
        Parameters result = translate(MDC, "150456");

        assertThat(result.getParameterBool("result")).isTrue();
        assertThat(matches(result)).contains(LOINC + "|59408-5");
    }

    /** HAPI's behaviour, kept: without a source system every map is searched, and the match names its map. */
    @Test
    void translate_withoutASystem_searchesEveryMap_andNamesTheMapThatMatched() {
        Parameters result = client().operation()
                .onType(ConceptMap.class)
                .named("$translate")
                .withParameter(Parameters.class, "code", new CodeType("150456"))
                .execute();

        assertThat(result.getParameterBool("result")).isTrue();
        assertThat(matches(result)).containsExactly(LOINC + "|59408-5");
        assertThat(parts(result, "match", "source"))
                .containsExactly("https://vigil.health/fhir/ConceptMap/mdc-to-loinc");
    }

    @Test
    void translate_unmappedCode_resultFalse() {
        Parameters result = translate(HEALTHKIT, "HKQuantityTypeIdentifierNoSuchThing");

        assertThat(result.getParameterBool("result")).isFalse();
    }

    /** The path hapi-fhir-cli upload-terminology takes for LOINC, SNOMED CT or a custom code system. */
    @Test
    void uploadExternalCodeSystem_customRelease_isStoredAndLookedUp() throws Exception {
        String system = "https://example.org/fhir/CodeSystem/upload-" + UUID.randomUUID();
        Parameters in = new Parameters();
        in.addParameter("system", new UriType(system));
        in.addParameter()
                .setName("file")
                .setValue(new Attachment()
                        .setUrl("custom-release.zip")
                        .setContentType("application/zip")
                        .setData(zip("concepts.csv", "CODE,DISPLAY\nA1,Alpha one\nB2,Beta two\n")));

        Parameters uploaded = client().operation()
                .onType(CodeSystem.class)
                .named("$upload-external-code-system")
                .withParameters(in)
                .execute();

        assertThat(uploaded.getParameterBool("success")).isTrue();
        // HAPI stores the concepts in its terminology tables in the background.
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (true) {
            try {
                assertThat(lookup(system, "B2").getParameterValue("display").primitiveValue())
                        .isEqualTo("Beta two");
                return;
            } catch (BaseServerResponseException notYet) {
                if (Instant.now().isAfter(deadline)) {
                    throw notYet;
                }
                Thread.sleep(1000);
            }
        }
    }

    @Test
    void uploadExternalCodeSystem_withAPatientToken_403() {
        IGenericClient patientClient = FHIR.newRestfulGenericClient(fhirBase());
        patientClient.registerInterceptor(new BearerTokenAuthInterceptor(TestIssuer.shared()
                .token(FHIR_BASE, "patient/*.cruds")
                .patient("terminology-upload-patient")
                .sign()));
        Parameters in = new Parameters();
        in.addParameter("system", new UriType("https://example.org/fhir/CodeSystem/not-allowed"));

        assertThatThrownBy(() -> patientClient
                        .operation()
                        .onType(CodeSystem.class)
                        .named("$upload-external-code-system")
                        .withParameters(in)
                        .execute())
                .isInstanceOfSatisfying(BaseServerResponseException.class, e -> assertThat(e.getStatusCode())
                        .isEqualTo(403));
    }

    private Parameters lookup(String system, String code) {
        return client().operation()
                .onType(CodeSystem.class)
                .named("$lookup")
                .withParameter(Parameters.class, "system", new UriType(system))
                .andParameter("code", new CodeType(code))
                .execute();
    }

    private Parameters validate(String valueSet, String system, String code, String display) {
        Parameters in = new Parameters();
        in.addParameter("url", new UriType(valueSet));
        in.addParameter("system", new UriType(system));
        in.addParameter("code", new CodeType(code));
        if (display != null) {
            in.addParameter("display", new StringType(display));
        }
        return client().operation()
                .onType(ValueSet.class)
                .named("$validate-code")
                .withParameters(in)
                .execute();
    }

    private Parameters validateInCodeSystem(String code) {
        Parameters in = new Parameters();
        in.addParameter("url", new UriType(LOINC));
        in.addParameter("code", new CodeType(code));
        return client().operation()
                .onType(CodeSystem.class)
                .named("$validate-code")
                .withParameters(in)
                .execute();
    }

    private ValueSet expand(String valueSet, String filter, Integer offset, Integer count) {
        Parameters in = new Parameters();
        in.addParameter("url", new UriType(valueSet));
        if (filter != null) {
            in.addParameter("filter", new StringType(filter));
        }
        if (offset != null) {
            in.addParameter("offset", new IntegerType(offset));
            in.addParameter("count", new IntegerType(count));
        }
        return client().operation()
                .onType(ValueSet.class)
                .named("$expand")
                .withParameters(in)
                .returnResourceType(ValueSet.class)
                .execute();
    }

    private Parameters translate(String system, String code) {
        Parameters in = new Parameters();
        in.addParameter("system", new UriType(system));
        in.addParameter("code", new CodeType(code));
        in.addParameter("targetsystem", new UriType(LOINC));
        return client().operation()
                .onType(ConceptMap.class)
                .named("$translate")
                .withParameters(in)
                .execute();
    }

    private static byte[] zip(String name, String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    private static Set<String> codes(ValueSet expansion) {
        return expansion.getExpansion().getContains().stream()
                .map(ValueSet.ValueSetExpansionContainsComponent::getCode)
                .collect(Collectors.toSet());
    }

    private static List<String> matches(Parameters result) {
        return result.getParameters("match").stream()
                .flatMap(match -> match.getPart().stream())
                .filter(part -> "concept".equals(part.getName()))
                .map(part -> (Coding) part.getValue())
                .map(coding -> coding.getSystem() + "|" + coding.getCode())
                .toList();
    }

    private static List<String> parts(Parameters result, String parameter, String part) {
        return result.getParameters(parameter).stream()
                .flatMap(p -> p.getPart().stream())
                .filter(p -> part.equals(p.getName()))
                .map(ParametersParameterComponent::getValue)
                .map(value -> value.primitiveValue())
                .toList();
    }

    private static String outcomeText(BaseServerResponseException e) {
        if (e.getOperationOutcome() instanceof OperationOutcome outcome) {
            return outcome.getIssue().stream()
                    .map(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics)
                    .collect(Collectors.joining(" "));
        }
        return "";
    }
}
