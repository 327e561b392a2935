package health.vigil.interceptors.consent;

import java.util.Optional;

/**
 * What a patient's consent says about one resource for one requester: permit or deny, and on what
 * grounds, so that audit records and {@code $evaluate} can name the provision that decided.
 *
 * @param effect permit or deny
 * @param basis why: the patient's own data, break-glass, a provision, or the deployment's default
 * @param consent the Consent that decided ({@code Consent/123}), when a provision did
 * @param provision where in that Consent's provision tree ({@code provision.provision[1]})
 */
record ConsentDecision(Effect effect, Basis basis, Optional<String> consent, Optional<String> provision) {

    /** Permit or deny. */
    public enum Effect {
        PERMIT,
        DENY
    }

    /** The ground of a decision. */
    public enum Basis {
        /** The requester is the patient: a patient always sees their own data. */
        OWN_DATA,
        /** The resource belongs to no patient: consent does not apply. */
        NO_PATIENT,
        /** The most specific matching provision of an active Consent. */
        PROVISION,
        /** Emergency treatment (ETREAT) by a role allowed to break the glass, over a denial. */
        BREAK_GLASS,
        /** No active Consent of the patient applies: the deployment's default (opt-out or opt-in). */
        DEFAULT_POLICY
    }

    public ConsentDecision {
        consent = consent == null ? Optional.empty() : consent;
        provision = provision == null ? Optional.empty() : provision;
    }

    static ConsentDecision of(Effect effect, Basis basis) {
        return new ConsentDecision(effect, basis, Optional.empty(), Optional.empty());
    }

    static ConsentDecision byProvision(Effect effect, Basis basis, String consent, String provision) {
        return new ConsentDecision(effect, basis, Optional.of(consent), Optional.of(provision));
    }

    public boolean permits() {
        return effect == Effect.PERMIT;
    }
}
