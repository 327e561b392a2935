package health.vigil.interceptors.consent;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import health.vigil.interceptors.api.AccessContext;
import health.vigil.interceptors.api.ConsentStorage;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class ConsentServiceTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final FakeStorage storage = new FakeStorage();
    private final ConsentService service = new ConsentService(
            storage,
            FHIR,
            new ConsentProperties(
                    true,
                    DefaultConsentPolicy.OPT_OUT,
                    "X-Purpose-Of-Use",
                    Set.of("vigil-break-glass"),
                    Duration.ofMinutes(5),
                    100),
            Clock.systemUTC());

    @Test
    void decide_cachesConsentsPerPatient_untilAConsentChanges() {
        ConsentRequester drX = service.requester(caller("Practitioner/dr-x"), "TREAT");
        assertThat(service.decide(drX, heartRateOf("p1")).permits()).isTrue();
        assertThat(service.decide(drX, heartRateOf("p1")).permits()).isTrue();
        assertThat(storage.consentLoads.get()).as("loaded once, then cached").isEqualTo(1);

        storage.consents.put("p1", List.of(consent("deny-practitioner")));
        assertThat(service.decide(drX, heartRateOf("p1")).permits())
                .as("still the cached decision")
                .isTrue();

        service.consentChanged(Optional.of("p1"));
        assertThat(service.decide(drX, heartRateOf("p1")).permits()).isFalse();
        assertThat(storage.consentLoads.get()).isEqualTo(2);
    }

    @Test
    void mayHide_onlyWhenSomePatientsConsentDeniesThisRequester() {
        storage.consents.put("p1", List.of(consent("deny-practitioner")));
        storage.patientsWithConsents.add("p1");

        assertThat(service.mayHide(service.requester(caller("Practitioner/dr-x"), "TREAT")))
                .isTrue();
        assertThat(service.mayHide(service.requester(caller("Practitioner/dr-a"), "TREAT")))
                .isFalse();
        assertThat(service.mayHide(service.requester(caller("Patient/p1"), "TREAT")))
                .as("a patient's own consents never hide their data from them")
                .isFalse();
    }

    @Test
    void decide_resourceOfNoPatient_isPermittedAsNotConsentData() {
        storage.consents.put("p1", List.of(consent("deny-practitioner")));
        ConsentDecision decision =
                service.decide(service.requester(caller("Practitioner/dr-x"), "TREAT"), new Organization());
        assertThat(decision.basis()).isEqualTo(ConsentDecision.Basis.NO_PATIENT);
    }

    @Test
    void decide_patientResource_isDecidedUnderItsOwnConsents() {
        storage.consents.put("p1", List.of(consent("deny-practitioner")));
        Patient patient = new Patient();
        patient.setId("Patient/p1");
        assertThat(service.decide(service.requester(caller("Practitioner/dr-x"), "TREAT"), patient)
                        .permits())
                .isFalse();
    }

    @Test
    void requester_affiliationsComeFromStorage_andBreakGlassFromTheRole() {
        storage.affiliations.put("Practitioner/dr-1", Set.of("PractitionerRole/r1", "Organization/o1"));
        AccessContext caller = new AccessContext(
                "sub",
                "app",
                Set.of(),
                Optional.empty(),
                Optional.of("Practitioner/dr-1"),
                Set.of("vigil-break-glass"));

        ConsentRequester requester = service.requester(caller, "ETREAT");

        assertThat(requester.actors())
                .containsExactlyInAnyOrder("Practitioner/dr-1", "PractitionerRole/r1", "Organization/o1");
        assertThat(requester.breaksGlass()).isTrue();
        assertThat(service.requester(caller("Practitioner/dr-1"), "ETREAT").breaksGlass())
                .isFalse();
    }

    private static AccessContext caller(String fhirUser) {
        return new AccessContext("sub", "app", Set.of(), Optional.empty(), Optional.of(fhirUser));
    }

    private static Observation heartRateOf(String patient) {
        Observation observation = new Observation();
        observation.setId("Observation/hr-" + patient);
        observation.setCode(new CodeableConcept(new Coding("http://loinc.org", "8867-4", null)));
        observation.setSubject(new Reference("Patient/" + patient));
        return observation;
    }

    private static Consent consent(String name) {
        try (InputStream in = ConsentServiceTest.class.getResourceAsStream("/fhir/Consent/" + name + ".json")) {
            return FHIR.newJsonParser().parseResource(Consent.class, in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class FakeStorage implements ConsentStorage {
        final Map<String, List<Consent>> consents = new HashMap<>();
        final Set<String> patientsWithConsents = new java.util.HashSet<>();
        final Map<String, Set<String>> affiliations = new HashMap<>();
        final AtomicInteger consentLoads = new AtomicInteger();

        @Override
        public List<Consent> consentsOf(String patientId) {
            consentLoads.incrementAndGet();
            return new ArrayList<>(consents.getOrDefault(patientId, List.of()));
        }

        @Override
        public Set<String> patientsWithConsents() {
            return patientsWithConsents;
        }

        @Override
        public Set<String> affiliationsOf(String fhirUser) {
            return affiliations.getOrDefault(fhirUser, Set.of());
        }

        @Override
        public Optional<IBaseResource> read(String reference) {
            return Optional.empty();
        }

        @Override
        public long countVisible(RequestDetails request, Predicate<IBaseResource> visible) {
            return 0;
        }
    }
}
