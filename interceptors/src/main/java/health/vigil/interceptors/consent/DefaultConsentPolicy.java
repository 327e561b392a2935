package health.vigil.interceptors.consent;

/** What applies to a patient's data when none of their active Consents says anything about it. */
public enum DefaultConsentPolicy {
    /** Shared unless the patient opted out: permitted (the default). */
    OPT_OUT,
    /** Not shared unless the patient opted in: denied. */
    OPT_IN
}
