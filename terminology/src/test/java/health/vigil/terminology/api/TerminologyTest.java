package health.vigil.terminology.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Which stored resources the server may replace with the shipped content, and which it must leave. */
class TerminologyTest {

    private static List<MetadataResource> shipped;

    @BeforeAll
    static void load() {
        shipped = Terminology.load().resources();
    }

    @Test
    void isShipped_everyShippedResourceAsStored_isReplaceable() {
        List<MetadataResource> stored = Terminology.load().resources();

        for (int i = 0; i < shipped.size(); i++) {
            assertThat(Terminology.isShipped(stored.get(i), shipped.get(i)))
                    .as(shipped.get(i).getId())
                    .isTrue();
        }
    }

    @Test
    void isShipped_earlierVersionOfTheSubset_isReplaceable() {
        CodeSystem earlier = (CodeSystem) loinc().copy();
        earlier.getConcept().remove(0);
        earlier.setVersion("0.0.1");

        assertThat(Terminology.isShipped(earlier, loinc())).isTrue();
    }

    @Test
    void isShipped_fullLoincReleaseAtTheSameId_isLeftAlone() {
        CodeSystem release = new CodeSystem()
                .setUrl("http://loinc.org")
                .setVersion("2.78")
                .setContent(CodeSystem.CodeSystemContentMode.NOTPRESENT);
        release.setId("loinc");

        assertThat(Terminology.isShipped(release, loinc())).isFalse();
    }

    @Test
    void isShipped_anotherUrlOrType_isLeftAlone() {
        ValueSet vitalSigns = (ValueSet) shipped.stream()
                .filter(resource -> resource.getIdElement().getIdPart().equals("vital-signs"))
                .findFirst()
                .orElseThrow();
        ValueSet local = vitalSigns.copy().setUrl("https://example.org/fhir/ValueSet/our-vitals");

        assertThat(Terminology.isShipped(local, vitalSigns)).isFalse();
        assertThat(Terminology.isShipped(vitalSigns, loinc())).isFalse();
    }

    private static CodeSystem loinc() {
        return (CodeSystem) shipped.get(0);
    }
}
