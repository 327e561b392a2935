package health.vigil.interceptors.consent;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import health.vigil.interceptors.consent.ConsentDecision.Basis;
import health.vigil.interceptors.consent.ConsentDecision.Effect;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

class ConsentPolicyTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final ConsentPolicy OPT_OUT =
            new ConsentPolicy(DefaultConsentPolicy.OPT_OUT, Clock.fixed(NOW, ZoneOffset.UTC));
    private static final ConsentPolicy OPT_IN =
            new ConsentPolicy(DefaultConsentPolicy.OPT_IN, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void noConsent_optOutPermitsOptInDenies() {
        assertThat(decide(OPT_OUT, List.of(), practitioner("dr-a"), heartRate()))
                .isEqualTo(ConsentDecision.of(Effect.PERMIT, Basis.DEFAULT_POLICY));
        assertThat(decide(OPT_IN, List.of(), practitioner("dr-a"), heartRate()))
                .isEqualTo(ConsentDecision.of(Effect.DENY, Basis.DEFAULT_POLICY));
    }

    @Test
    void denyToOneActor_deniesThemOnlyNamingTheProvision() {
        List<Consent> consents = consents("deny-practitioner");

        assertThat(decide(OPT_OUT, consents, practitioner("dr-x"), heartRate()))
                .isEqualTo(ConsentDecision.byProvision(
                        Effect.DENY, Basis.PROVISION, "Consent/deny-practitioner", "provision.provision[0]"));
        assertThat(decide(OPT_OUT, consents, practitioner("dr-a"), heartRate()))
                .isEqualTo(ConsentDecision.byProvision(
                        Effect.PERMIT, Basis.PROVISION, "Consent/deny-practitioner", "provision"));
    }

    @Test
    void denyToActor_throughAnAffiliation_denies() {
        ConsentRequester viaRole = new ConsentRequester(
                Set.of("Practitioner/dr-b", "PractitionerRole/r1", "Practitioner/dr-x"),
                "app",
                Optional.empty(),
                "TREAT",
                false);

        assertThat(decide(OPT_OUT, consents("deny-practitioner"), viaRole, heartRate())
                        .effect())
                .isEqualTo(Effect.DENY);
    }

    @Test
    void denyClassCodeAndLabel_denyExactlyThoseResources() {
        List<Consent> consents = consents("deny-class-code-label");
        ConsentRequester dr = practitioner("dr-a");

        assertThat(decide(OPT_OUT, consents, dr, new DiagnosticReport().setId("DiagnosticReport/d1"))
                        .provision())
                .contains("provision.provision[0]");
        assertThat(decide(OPT_OUT, consents, dr, observation("7917-8")).provision())
                .contains("provision.provision[1]");
        Observation psychiatric = heartRate();
        psychiatric.getMeta().addSecurity("http://terminology.hl7.org/CodeSystem/v3-ActCode", "PSY", null);
        assertThat(decide(OPT_OUT, consents, dr, psychiatric).provision()).contains("provision.provision[2]");
        assertThat(decide(OPT_OUT, consents, dr, heartRate()).effect()).isEqualTo(Effect.PERMIT);
    }

    @Test
    void permitOnlyForTreatment_otherPurposesDenied() {
        List<Consent> consents = consents("permit-treatment-only");

        assertThat(decide(OPT_OUT, consents, practitioner("dr-a"), heartRate()).effect())
                .isEqualTo(Effect.PERMIT);
        ConsentDecision payment = decide(OPT_OUT, consents, requester("dr-a", "HPAYMT", false), heartRate());
        assertThat(payment.effect()).isEqualTo(Effect.DENY);
        assertThat(payment.provision()).contains("provision");
    }

    @Test
    void periodsAndDataPeriods_boundTheProvisions() {
        List<Consent> consents = consents("periods");
        ConsentRequester dr = practitioner("dr-a");

        Condition condition = new Condition();
        condition.setId("Condition/c1");
        condition.setRecordedDate(Date.from(Instant.parse("2024-03-01T00:00:00Z")));
        assertThat(decide(OPT_OUT, consents, dr, condition).effect())
                .as("the Condition denial ended in 2020")
                .isEqualTo(Effect.PERMIT);

        Observation from2019 = heartRate();
        from2019.setEffective(new DateTimeType("2019-06-01T08:00:00Z"));
        assertThat(decide(OPT_OUT, consents, dr, from2019).provision()).contains("provision.provision[1]");
        Observation from2024 = heartRate();
        assertThat(decide(OPT_OUT, consents, dr, from2024).effect()).isEqualTo(Effect.PERMIT);
        Observation undated = heartRate();
        undated.setEffective(null);
        assertThat(decide(OPT_OUT, consents, dr, undated).effect())
                .as("no date: inside the deny's data period")
                .isEqualTo(Effect.DENY);
    }

    @Test
    void nestedExceptions_deepestApplyingProvisionWins() {
        List<Consent> consents = consents("nested-exceptions");
        ConsentRequester insurer =
                new ConsentRequester(Set.of("Organization/insurer"), "claims", Optional.empty(), "HPAYMT", false);

        assertThat(decide(OPT_OUT, consents, insurer, new Condition().setId("Condition/c1"))
                        .provision())
                .contains("provision");
        assertThat(decide(OPT_OUT, consents, insurer, new Immunization().setId("Immunization/i1")))
                .isEqualTo(ConsentDecision.byProvision(
                        Effect.PERMIT, Basis.PROVISION, "Consent/nested-exceptions", "provision.provision[0]"));
        Observation restricted = heartRate();
        restricted.getMeta().addSecurity("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R", null);
        assertThat(decide(OPT_OUT, consents, insurer, restricted).provision())
                .contains("provision.provision[0].provision[0]");
        assertThat(decide(OPT_OUT, consents, practitioner("dr-a"), restricted))
                .as("the consent names only the insurer")
                .isEqualTo(ConsentDecision.of(Effect.PERMIT, Basis.DEFAULT_POLICY));
    }

    @Test
    void denyToClientApp_byItsClientId() {
        List<Consent> consents = consents("deny-app");

        assertThat(decide(
                                OPT_OUT,
                                consents,
                                new ConsentRequester(Set.of(), "fitness-tracker", Optional.empty(), "TREAT", false),
                                heartRate())
                        .effect())
                .isEqualTo(Effect.DENY);
        assertThat(decide(OPT_OUT, consents, practitioner("dr-a"), heartRate()).effect())
                .isEqualTo(Effect.PERMIT);
    }

    @Test
    void ownData_alwaysPermitted() {
        ConsentRequester patient = new ConsentRequester(Set.of("Patient/p1"), "app", Optional.of("p1"), "TREAT", false);

        assertThat(decide(OPT_IN, consents("deny-class-code-label"), patient, observation("7917-8")))
                .isEqualTo(ConsentDecision.of(Effect.PERMIT, Basis.OWN_DATA));
    }

    @Test
    void breakGlass_overridesDenialsOnlyForAllowedRoles() {
        List<Consent> consents = consents("deny-practitioner");

        assertThat(decide(OPT_OUT, consents, requester("dr-x", "ETREAT", true), heartRate()))
                .isEqualTo(new ConsentDecision(
                        Effect.PERMIT,
                        Basis.BREAK_GLASS,
                        Optional.of("Consent/deny-practitioner"),
                        Optional.of("provision.provision[0]")));
        assertThat(decide(OPT_OUT, consents, requester("dr-x", "ETREAT", false), heartRate())
                        .effect())
                .isEqualTo(Effect.DENY);
        assertThat(decide(OPT_IN, List.of(), requester("dr-x", "ETREAT", true), heartRate())
                        .basis())
                .isEqualTo(Basis.BREAK_GLASS);
    }

    @Test
    void acrossConsents_denyWins() {
        List<Consent> consents = consents("deny-app", "deny-class-code-label");

        ConsentDecision decision = decide(OPT_OUT, consents, practitioner("dr-a"), observation("7917-8"));

        assertThat(decision.effect()).isEqualTo(Effect.DENY);
        assertThat(decision.consent()).contains("Consent/deny-class-code-label");
    }

    @Test
    void inactiveOtherScopeOrOtherPatientsConsents_ignored() {
        Consent inactive = consent("deny-practitioner").setStatus(Consent.ConsentState.INACTIVE);
        Consent research = consent("deny-practitioner");
        research.getScope().getCodingFirstRep().setCode("research");
        Consent otherPatient = consent("deny-practitioner").setPatient(new Reference("Patient/p2"));

        for (Consent consent : List.of(inactive, research, otherPatient)) {
            assertThat(decide(OPT_OUT, List.of(consent), practitioner("dr-x"), heartRate()))
                    .isEqualTo(ConsentDecision.of(Effect.PERMIT, Basis.DEFAULT_POLICY));
        }
    }

    @Test
    void nestedProvisionWithoutType_denies() {
        Consent consent = consent("deny-practitioner");
        consent.getProvision().getProvisionFirstRep().setType(null);

        assertThat(decide(OPT_OUT, List.of(consent), practitioner("dr-x"), heartRate())
                        .effect())
                .isEqualTo(Effect.DENY);
    }

    private static ConsentDecision decide(
            ConsentPolicy policy, List<Consent> consents, ConsentRequester requester, Resource resource) {
        return policy.decide(policy.compile("p1", consents, requester), resource);
    }

    private static ConsentRequester practitioner(String id) {
        return requester(id, "TREAT", false);
    }

    private static ConsentRequester requester(String practitioner, String purpose, boolean mayBreakGlass) {
        return new ConsentRequester(
                Set.of("Practitioner/" + practitioner), "clinician-app", Optional.empty(), purpose, mayBreakGlass);
    }

    private static Observation heartRate() {
        Observation observation = observation("8867-4");
        observation.addCategory(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", null)));
        return observation;
    }

    private static Observation observation(String loinc) {
        Observation observation = new Observation();
        observation.setId("Observation/" + loinc);
        observation.setCode(new CodeableConcept(new Coding("http://loinc.org", loinc, null)));
        observation.setSubject(new Reference("Patient/p1"));
        observation.setEffective(new DateTimeType("2024-05-01T08:00:00Z"));
        return observation;
    }

    private static List<Consent> consents(String... names) {
        return Arrays.stream(names).map(ConsentPolicyTest::consent).toList();
    }

    private static Consent consent(String name) {
        try (InputStream in = ConsentPolicyTest.class.getResourceAsStream("/fhir/Consent/" + name + ".json")) {
            return FHIR.newJsonParser().parseResource(Consent.class, in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
