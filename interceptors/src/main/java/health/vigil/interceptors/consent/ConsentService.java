package health.vigil.interceptors.consent;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import health.vigil.interceptors.api.AccessContext;
import health.vigil.interceptors.api.ConsentStorage;
import health.vigil.interceptors.consent.ConsentDecision.Basis;
import health.vigil.interceptors.consent.ConsentDecision.Effect;
import health.vigil.interceptors.consent.PatientConsents.Provision;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Resource;

/**
 * Consent decisions for requesters, over a {@link ConsentStorage}: the {@link ConsentPolicy} with the
 * patients' Consents and the requesters' affiliations cached.
 *
 * <p>Caching: a patient's Consents are loaded once and compiled once per requester (actors, client,
 * purpose, break-glass); deciding on a resource then finds the resource's patients (its Patient
 * compartment owners) and walks the compiled provisions, with no database access. A Consent written on
 * this server drops its patient's entry before and again right after its transaction commits, so the
 * next request decides on the new Consent; entries otherwise live {@link ConsentProperties#cacheTtl()}.
 */
final class ConsentService {

    /** Beyond this many patients with Consents, a requester is assumed restricted without checking each. */
    private static final int RESTRICTION_CHECK_LIMIT = 500;

    private static final String ALL = "all";

    private final ConsentPolicy policy;
    private final ConsentStorage storage;
    private final FhirTerser terser;
    private final DefaultConsentPolicy defaultPolicy;
    private final Set<String> breakGlassRoles;
    private final Cache<String, PatientEntry> patients;
    private final Cache<String, Set<String>> affiliations;
    private final Cache<String, Set<String>> patientsWithConsents;

    ConsentService(ConsentStorage storage, FhirContext fhirContext, ConsentProperties properties, Clock clock) {
        this.policy = new ConsentPolicy(properties.defaultPolicy(), clock);
        this.storage = storage;
        this.terser = fhirContext.newTerser();
        this.defaultPolicy = properties.defaultPolicy();
        this.breakGlassRoles = properties.breakGlassRoles();
        this.patients = Caffeine.newBuilder()
                .maximumSize(properties.cacheSize())
                .expireAfterWrite(properties.cacheTtl())
                .build();
        this.affiliations = Caffeine.newBuilder()
                .maximumSize(properties.cacheSize())
                .expireAfterWrite(properties.cacheTtl())
                .build();
        this.patientsWithConsents =
                Caffeine.newBuilder().expireAfterWrite(properties.cacheTtl()).build();
    }

    /** The requester a verified caller is, asking with a purpose of use. */
    ConsentRequester requester(AccessContext caller, String purpose) {
        Set<String> actors = new LinkedHashSet<>();
        caller.fhirUser().ifPresent(fhirUser -> {
            actors.add(fhirUser);
            actors.addAll(affiliations.get(fhirUser, storage::affiliationsOf));
        });
        Optional<String> patient = caller.fhirUser()
                .filter(fhirUser -> fhirUser.startsWith("Patient/"))
                .map(fhirUser -> fhirUser.substring("Patient/".length()));
        boolean mayBreakGlass = caller.roles().stream().anyMatch(breakGlassRoles::contains);
        return new ConsentRequester(actors, caller.clientId(), patient, purpose, mayBreakGlass);
    }

    /**
     * A requester described by its actors rather than a token, for {@code Consent/$evaluate}: users among
     * the actors bring their affiliations, a {@code Patient/x} actor is that patient.
     */
    ConsentRequester requester(Set<String> actors, String clientId, String purpose, boolean mayBreakGlass) {
        Set<String> all = new LinkedHashSet<>(actors);
        actors.forEach(actor -> all.addAll(affiliations.get(actor, storage::affiliationsOf)));
        Optional<String> patient = actors.stream()
                .filter(actor -> actor.startsWith("Patient/"))
                .map(actor -> actor.substring("Patient/".length()))
                .findFirst();
        return new ConsentRequester(all, clientId, patient, purpose, mayBreakGlass);
    }

    /**
     * Whether a consent could hide anything from this requester: false when no patient (other than the
     * requester) has a Consent that denies this requester anything and the default is opt-out. Requests
     * of requesters that nothing can be hidden from skip per-resource checks.
     */
    boolean mayHide(ConsentRequester requester) {
        if (requester.breaksGlass()) {
            return false;
        }
        if (defaultPolicy == DefaultConsentPolicy.OPT_IN) {
            return true;
        }
        Set<String> withConsents = patientsWithConsents.get(ALL, key -> Set.copyOf(storage.patientsWithConsents()));
        int checked = 0;
        for (String patientId : withConsents) {
            if (requester.patient().map(patientId::equals).orElse(false)) {
                continue;
            }
            if (++checked > RESTRICTION_CHECK_LIMIT || restricts(consentsFor(patientId, requester))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The decision on one resource: permitted when it belongs to no patient; otherwise the policy's
     * decision under each of its patients' consents, a denial by any of them winning.
     */
    ConsentDecision decide(ConsentRequester requester, IBaseResource resource) {
        if (!(resource instanceof Resource r4)) {
            return ConsentDecision.of(Effect.PERMIT, Basis.NO_PATIENT);
        }
        ConsentDecision decided = null;
        for (String patientId : patientsOf(r4)) {
            ConsentDecision decision = policy.decide(consentsFor(patientId, requester), r4);
            if (!decision.permits()) {
                return decision;
            }
            if (decided == null || weight(decision) > weight(decided)) {
                decided = decision;
            }
        }
        return decided != null ? decided : ConsentDecision.of(Effect.PERMIT, Basis.NO_PATIENT);
    }

    /** A Consent of this patient was created, changed or deleted. */
    void consentChanged(Optional<String> patientId) {
        patientId.ifPresentOrElse(patients::invalidate, patients::invalidateAll);
        patientsWithConsents.invalidateAll();
    }

    /** A PractitionerRole, CareTeam or other resource that affiliates users was written. */
    void affiliationsChanged() {
        affiliations.invalidateAll();
    }

    private PatientConsents consentsFor(String patientId, ConsentRequester requester) {
        PatientEntry entry = patients.get(
                patientId, id -> new PatientEntry(List.copyOf(storage.consentsOf(id)), new ConcurrentHashMap<>()));
        return entry.compiled().computeIfAbsent(requester, key -> policy.compile(patientId, entry.consents(), key));
    }

    /** The patients a resource belongs to: itself for a Patient, else its Patient compartment owners. */
    List<String> patientsOf(Resource resource) {
        if ("Patient".equals(resource.fhirType())) {
            return List.of(resource.getIdElement().getIdPart());
        }
        return terser.getCompartmentOwnersForResource("Patient", resource, (Set<String>) null).stream()
                // A reference to a contained resource (#p1) names no stored patient.
                .filter(owner -> !owner.isLocal()
                        && owner.hasIdPart()
                        && !owner.getIdPart().startsWith("#"))
                .map(IIdType::getIdPart)
                .distinct()
                .toList();
    }

    private static boolean restricts(PatientConsents consents) {
        if (consents.ownData() || consents.breaksGlass()) {
            return false;
        }
        return consents.consents().stream().anyMatch(consent -> hasDeny(consent.root()));
    }

    private static boolean hasDeny(Provision provision) {
        return provision.effect() == Effect.DENY
                || provision.children().stream().anyMatch(ConsentService::hasDeny);
    }

    /** Which of two permits says more, for the audit record: break-glass, then a provision, then a default. */
    private static int weight(ConsentDecision decision) {
        return switch (decision.basis()) {
            case BREAK_GLASS -> 4;
            case PROVISION -> 3;
            case DEFAULT_POLICY -> 2;
            case OWN_DATA -> 1;
            case NO_PATIENT -> 0;
        };
    }

    private record PatientEntry(List<Consent> consents, ConcurrentMap<ConsentRequester, PatientConsents> compiled) {}
}
