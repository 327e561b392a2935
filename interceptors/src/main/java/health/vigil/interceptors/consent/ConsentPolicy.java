package health.vigil.interceptors.consent;

import health.vigil.interceptors.consent.ConsentDecision.Basis;
import health.vigil.interceptors.consent.ConsentDecision.Effect;
import health.vigil.interceptors.consent.PatientConsents.CompiledConsent;
import health.vigil.interceptors.consent.PatientConsents.Provision;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentProvisionType;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;
import org.hl7.fhir.r4.model.Consent.provisionActorComponent;
import org.hl7.fhir.r4.model.Consent.provisionDataComponent;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Decides whether a requester may see a resource under the patient's FHIR R4 Consents. Plain Java,
 * no storage: the caller supplies the patient's Consents and the requester.
 *
 * <p>Evaluation order, for a resource of patient P and a requester R:
 *
 * <ol>
 *   <li>R is P ({@code fhirUser} {@code Patient/P}): permit ({@link Basis#OWN_DATA}).
 *   <li>Only P's Consents with status {@code active}, scope {@code patient-privacy} and a root provision
 *       whose criteria fit R are considered. A provision fits R when each criterion it has matches:
 *       {@code actor} (any of R's references or its client id), {@code purpose} (R's purpose of use),
 *       {@code action} (access, use or disclose), {@code period} (contains now).
 *   <li>In each such Consent the provision tree is walked from the root: a provision applies when it
 *       fits R and each resource criterion it has matches: {@code class} (the resource type),
 *       {@code code} (a coding of the resource's code, category, type or class), {@code securityLabel}
 *       (a label in {@code meta.security}), {@code data} (the resource itself), {@code dataPeriod}
 *       (the resource's clinical date). The deepest applying provision decides, with its type: nested
 *       provisions are exceptions to their parent. Where applying siblings disagree, deny wins. The root
 *       provision's type is the Consent's base rule; without one, {@code policyRule} OPTOUT means deny
 *       and anything else permit. A nested provision without a type denies (fail closed).
 *   <li>Across Consents, deny wins ({@link Basis#PROVISION}).
 *   <li>No Consent applies: the deployment's {@link DefaultConsentPolicy} ({@link Basis#DEFAULT_POLICY}).
 *   <li>A denial (by a provision or opt-in) is overridden for emergency treatment (purpose ETREAT) by a
 *       role allowed to break the glass ({@link Basis#BREAK_GLASS}), naming the provision it overrode.
 * </ol>
 *
 * <p>A resource without a clinical date is inside every {@code dataPeriod} of a deny provision and
 * outside every {@code dataPeriod} of a permit provision: missing data never widens access.
 *
 * <p>{@link #compile} does the work that depends on the requester once; {@link #decide} is then a walk
 * of the (small) provision trees per resource, without database access.
 */
final class ConsentPolicy {

    static final String SCOPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentscope";
    static final String ACTION_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentaction";
    private static final Set<String> READ_ACTIONS = Set.of("access", "use", "disclose");

    private final DefaultConsentPolicy defaultPolicy;
    private final Clock clock;

    ConsentPolicy(DefaultConsentPolicy defaultPolicy, Clock clock) {
        this.defaultPolicy = defaultPolicy;
        this.clock = clock;
    }

    /** Reduces a patient's Consents to what applies to one requester, now. */
    PatientConsents compile(String patientId, List<Consent> consents, ConsentRequester requester) {
        Instant now = clock.instant();
        boolean ownData = requester.patient().map(patientId::equals).orElse(false);
        List<CompiledConsent> applicable = new ArrayList<>();
        for (Consent consent : consents) {
            if (!isActivePrivacyConsentOf(consent, patientId)) {
                continue;
            }
            Effect base = baseEffect(consent);
            ProvisionComponent root = consent.hasProvision() ? consent.getProvision() : new ProvisionComponent();
            compileProvision(root, "provision", base, requester, now)
                    .ifPresent(provision -> applicable.add(new CompiledConsent(reference(consent), provision)));
        }
        return new PatientConsents(patientId, ownData, requester.breaksGlass(), applicable);
    }

    /** The decision on one resource of the patient the consents were compiled for. */
    ConsentDecision decide(PatientConsents consents, Resource resource) {
        if (consents.ownData()) {
            return ConsentDecision.of(Effect.PERMIT, Basis.OWN_DATA);
        }
        ResourceFacts facts = ResourceFacts.of(resource);
        ConsentDecision firstPermit = null;
        ConsentDecision firstDeny = null;
        for (CompiledConsent consent : consents.consents()) {
            Optional<Provision> deciding = deciding(consent.root(), facts);
            if (deciding.isEmpty()) {
                continue;
            }
            Provision provision = deciding.get();
            ConsentDecision decision = ConsentDecision.byProvision(
                    provision.effect(), Basis.PROVISION, consent.reference(), provision.path());
            if (provision.effect() == Effect.DENY && firstDeny == null) {
                firstDeny = decision;
            } else if (provision.effect() == Effect.PERMIT && firstPermit == null) {
                firstPermit = decision;
            }
        }
        if (firstDeny != null) {
            return consents.breaksGlass()
                    ? new ConsentDecision(Effect.PERMIT, Basis.BREAK_GLASS, firstDeny.consent(), firstDeny.provision())
                    : firstDeny;
        }
        if (firstPermit != null) {
            return firstPermit;
        }
        if (defaultPolicy == DefaultConsentPolicy.OPT_IN) {
            return consents.breaksGlass()
                    ? ConsentDecision.of(Effect.PERMIT, Basis.BREAK_GLASS)
                    : ConsentDecision.of(Effect.DENY, Basis.DEFAULT_POLICY);
        }
        return ConsentDecision.of(Effect.PERMIT, Basis.DEFAULT_POLICY);
    }

    /** The deepest provision of the tree that applies to the resource, or empty if the root does not. */
    private static Optional<Provision> deciding(Provision provision, ResourceFacts facts) {
        if (!applies(provision, facts)) {
            return Optional.empty();
        }
        Provision permit = null;
        for (Provision child : provision.children()) {
            Optional<Provision> deciding = deciding(child, facts);
            if (deciding.isPresent()) {
                if (deciding.get().effect() == Effect.DENY) {
                    return deciding;
                }
                if (permit == null) {
                    permit = deciding.get();
                }
            }
        }
        return Optional.of(permit != null ? permit : provision);
    }

    private static boolean applies(Provision provision, ResourceFacts facts) {
        if (!provision.classes().isEmpty() && !provision.classes().contains(facts.type())) {
            return false;
        }
        if (!provision.codes().isEmpty() && provision.codes().stream().noneMatch(facts.codes()::contains)) {
            return false;
        }
        if (!provision.securityLabels().isEmpty()
                && provision.securityLabels().stream().noneMatch(facts.securityLabels()::contains)) {
            return false;
        }
        if (!provision.data().isEmpty() && !provision.data().contains(facts.reference())) {
            return false;
        }
        if (provision.hasDataPeriod()) {
            if (facts.date().isEmpty()) {
                return provision.effect() == Effect.DENY;
            }
            Instant date = facts.date().get();
            if (provision.dataStart().map(date::isBefore).orElse(false)
                    || provision.dataEnd().map(date::isAfter).orElse(false)) {
                return false;
            }
        }
        return true;
    }

    private static Optional<Provision> compileProvision(
            ProvisionComponent provision, String path, Effect effect, ConsentRequester requester, Instant now) {
        if (!fits(provision, requester, now)) {
            return Optional.empty();
        }
        List<Provision> children = new ArrayList<>();
        for (int i = 0; i < provision.getProvision().size(); i++) {
            ProvisionComponent child = provision.getProvision().get(i);
            Effect childEffect = child.hasType() ? effect(child.getType()) : Effect.DENY;
            compileProvision(child, path + ".provision[" + i + "]", childEffect, requester, now)
                    .ifPresent(children::add);
        }
        Set<String> classes = new HashSet<>();
        provision.getClass_().forEach(coding -> classes.add(coding.getCode()));
        Set<String> codes = new HashSet<>();
        provision.getCode().forEach(concept -> concept.getCoding()
                .forEach(coding -> codes.add(ResourceFacts.key(coding))));
        Set<String> labels = new HashSet<>();
        provision.getSecurityLabel().forEach(coding -> labels.add(ResourceFacts.key(coding)));
        Set<String> data = new HashSet<>();
        for (provisionDataComponent item : provision.getData()) {
            data.add(typeAndId(item.getReference()));
        }
        Period dataPeriod = provision.getDataPeriod();
        return Optional.of(new Provision(
                path,
                effect,
                classes,
                codes,
                labels,
                data,
                Optional.ofNullable(dataPeriod.getStart()).map(java.util.Date::toInstant),
                Optional.ofNullable(dataPeriod.getEnd()).map(java.util.Date::toInstant),
                children));
    }

    /** Whether the provision's requester criteria (actor, purpose, action, period) fit the requester. */
    private static boolean fits(ProvisionComponent provision, ConsentRequester requester, Instant now) {
        if (provision.hasActor() && provision.getActor().stream().noneMatch(actor -> isRequester(actor, requester))) {
            return false;
        }
        if (provision.hasPurpose()
                && provision.getPurpose().stream()
                        .noneMatch(purpose -> requester.purpose().equals(purpose.getCode())
                                && (!purpose.hasSystem()
                                        || ConsentRequester.PURPOSE_SYSTEM.equals(purpose.getSystem())))) {
            return false;
        }
        if (provision.hasAction()
                && provision.getAction().stream()
                        .flatMap(action -> action.getCoding().stream())
                        .noneMatch(coding -> READ_ACTIONS.contains(coding.getCode()))) {
            return false;
        }
        if (provision.hasPeriod()) {
            Period period = provision.getPeriod();
            if ((period.hasStart() && now.isBefore(period.getStart().toInstant()))
                    || (period.hasEnd() && now.isAfter(period.getEnd().toInstant()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isRequester(provisionActorComponent actor, ConsentRequester requester) {
        Reference reference = actor.getReference();
        if (reference.hasReference() && requester.actors().contains(typeAndId(reference))) {
            return true;
        }
        return reference.hasIdentifier()
                && ConsentRequester.CLIENT_ID_SYSTEM.equals(
                        reference.getIdentifier().getSystem())
                && requester.clientId().equals(reference.getIdentifier().getValue());
    }

    private static boolean isActivePrivacyConsentOf(Consent consent, String patientId) {
        boolean privacy = consent.getScope().getCoding().stream()
                .anyMatch(coding -> "patient-privacy".equals(coding.getCode())
                        && (!coding.hasSystem() || SCOPE_SYSTEM.equals(coding.getSystem())));
        return consent.getStatus() == Consent.ConsentState.ACTIVE
                && privacy
                && patientId.equals(consent.getPatient().getReferenceElement().getIdPart());
    }

    private static Effect baseEffect(Consent consent) {
        if (consent.hasProvision() && consent.getProvision().hasType()) {
            return effect(consent.getProvision().getType());
        }
        boolean optOut = consent.getPolicyRule().getCoding().stream()
                .map(Coding::getCode)
                .anyMatch(code -> code != null && code.startsWith("OPTOUT"));
        return optOut ? Effect.DENY : Effect.PERMIT;
    }

    private static Effect effect(ConsentProvisionType type) {
        return type == ConsentProvisionType.PERMIT ? Effect.PERMIT : Effect.DENY;
    }

    private static String reference(Consent consent) {
        return "Consent/" + consent.getIdElement().getIdPart();
    }

    /** {@code http://host/fhir/Practitioner/1/_history/2} or {@code Practitioner/1} becomes {@code Practitioner/1}. */
    private static String typeAndId(Reference reference) {
        var id = reference.getReferenceElement();
        return id.getResourceType() + "/" + id.getIdPart();
    }
}
