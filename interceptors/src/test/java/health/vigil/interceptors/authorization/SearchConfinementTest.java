package health.vigil.interceptors.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import health.vigil.interceptors.api.AccessContext;
import health.vigil.interceptors.authorization.SmartScope.Filter;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SearchConfinementTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private final SearchConfinement confinement = new SearchConfinement(FHIR, new AuthorizationRules(FHIR));

    @Test
    void compartment_patientScopes_confineToPatient() {
        AccessGrants access = grants("p1", null, "patient/*.rs");

        assertThat(confinement.compartment(access, Optional.of("Observation"))).contains("Patient/p1");
        assertThat(confinement.compartment(access, Optional.of("Patient"))).contains("Patient/p1");
        assertThat(confinement.compartment(access, Optional.empty())).contains("Patient/p1");
    }

    @Test
    void compartment_referenceDataOrUnconfinedScopes_none() {
        assertThat(confinement.compartment(grants("p1", null, "patient/*.rs"), Optional.of("Practitioner")))
                .isEmpty();
        assertThat(confinement.compartment(grants(null, null, "system/*.rs"), Optional.of("Observation")))
                .isEmpty();
        assertThat(confinement.compartment(
                        grants(null, "Practitioner/dr", "user/Observation.rs"), Optional.of("Observation")))
                .isEmpty();
    }

    @Test
    void filter_oneFilteredScope_isAddedAsIs() {
        AccessGrants access = grants("p1", null, "patient/Observation.rs?category=vital-signs");

        assertThat(confinement.filter(access, "Observation")).contains(new Filter("category", "vital-signs"));
    }

    @Test
    void filter_twoScopesOnSameParameter_orJoined() {
        AccessGrants access = grants(
                "p1",
                null,
                "patient/Observation.rs?category=vital-signs",
                "patient/Observation.rs?category=laboratory");

        assertThat(confinement.filter(access, "Observation").map(Filter::value).orElseThrow())
                .isIn("vital-signs,laboratory", "laboratory,vital-signs");
    }

    @Test
    void filter_anUnfilteredScopeOrDifferentParameters_nothingToAdd() {
        assertThat(confinement.filter(
                        grants("p1", null, "patient/Observation.rs?category=vital-signs", "patient/Observation.rs"),
                        "Observation"))
                .isEmpty();
        assertThat(confinement.filter(
                        grants(
                                "p1",
                                null,
                                "patient/Observation.rs?category=vital-signs",
                                "patient/Observation.rs?status=final"),
                        "Observation"))
                .isEmpty();
    }

    @Test
    void deniedParameter_hasOnTypeNotSearchable_isNamed() {
        AccessGrants access = grants(null, "Practitioner/dr", "user/Patient.rs");

        assertThat(confinement.deniedParameter(access, "Patient", Set.of("_has:Observation:patient:code")))
                .hasValueSatisfying(denied -> assertThat(denied).contains("Observation"));
        assertThat(confinement.deniedParameter(
                        grants(null, "Practitioner/dr", "user/Patient.rs", "user/Observation.rs"),
                        "Patient",
                        Set.of("_has:Observation:patient:code")))
                .isEmpty();
    }

    @Test
    void deniedParameter_nestedHas_checksEveryType() {
        AccessGrants access = grants(null, "Practitioner/dr", "user/Patient.rs", "user/Observation.rs");

        assertThat(confinement.deniedParameter(
                        access, "Patient", Set.of("_has:Observation:patient:_has:AuditEvent:entity:agent")))
                .hasValueSatisfying(denied -> assertThat(denied).contains("AuditEvent"));
    }

    @Test
    void deniedParameter_chainToTypeNotSearchable_isNamed() {
        AccessGrants access = grants(null, "Practitioner/dr", "user/Observation.rs");

        assertThat(confinement.deniedParameter(access, "Observation", Set.of("subject:Patient.name")))
                .hasValueSatisfying(denied -> assertThat(denied).contains("Patient"));
        assertThat(confinement.deniedParameter(access, "Observation", Set.of("patient.name")))
                .hasValueSatisfying(denied -> assertThat(denied).contains("Patient"));
        assertThat(confinement.deniedParameter(access, "Observation", Set.of("code", "date", "_count")))
                .isEmpty();
    }

    @Test
    void deniedParameter_chainWithinSearchableTypes_allowed() {
        AccessGrants access = grants("p1", null, "patient/*.rs");

        assertThat(confinement.deniedParameter(access, "Observation", Set.of("subject:Patient.name")))
                .isEmpty();
        assertThat(confinement.deniedParameter(access, "Observation", Set.of("performer:Practitioner.name")))
                .isEmpty();
    }

    @Test
    void deniedParameter_chainThroughAnyType_needsWildcard() {
        AccessGrants typed = grants(null, "Practitioner/dr", "user/Observation.rs", "user/Patient.rs");

        assertThat(confinement.deniedParameter(typed, "Observation", Set.of("subject.name")))
                .as("subject may refer to Group, Device and Location too")
                .isPresent();
    }

    private static AccessGrants grants(String patient, String fhirUser, String... scopes) {
        AccessContext caller = new AccessContext(
                "sub", "client", Set.of(scopes), Optional.ofNullable(patient), Optional.ofNullable(fhirUser));
        return AccessGrants.of(caller, new ScopeParser(FHIR));
    }
}
