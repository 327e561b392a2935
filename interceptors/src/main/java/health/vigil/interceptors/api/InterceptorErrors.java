package health.vigil.interceptors.api;

/**
 * The client-facing errors of the interceptors module, each with a stable code ({@code VGL-11nn}).
 * Messages start with the code so that clients and support can match on it whatever the wording.
 */
public enum InterceptorErrors {
    /** The token's scopes do not permit the interaction (403). */
    SCOPE_DENIED(1101),
    /** A search parameter reaches data the token may not search: {@code _has}, a chain (403). */
    SEARCH_PARAMETER_DENIED(1102),
    /** A search the token's patient scopes cannot be confined to, such as a search across all types (403). */
    SEARCH_NOT_CONFINABLE(1103),
    /**
     * A search parameter that would reveal, by what it matches, data a patient's consent hides from the
     * caller: {@code _has} or a chain, while a consent restricts the caller (403).
     */
    CONSENT_SEARCH_PARAMETER_DENIED(1104),
    /** The purpose-of-use header names no known purpose (400). */
    INVALID_PURPOSE_OF_USE(1105),
    /** Emergency access (purpose ETREAT) asked for by a user whose role may not break the glass (403). */
    BREAK_GLASS_NOT_ALLOWED(1106),
    /** {@code Consent/$evaluate} was called with missing or malformed parameters (400). */
    INVALID_CONSENT_EVALUATION(1107),
    /** The audit record of a request could not be stored, so its result is withheld (503). */
    AUDIT_UNAVAILABLE(1108),
    /** Audit records are written by the server only and never changed or removed through the API (405). */
    AUDIT_IMMUTABLE(1109),
    /** An AuditEvent search with a parameter the audit trail does not support (400). */
    INVALID_AUDIT_SEARCH(1110);

    private final int code;

    InterceptorErrors(int code) {
        this.code = code;
    }

    /** The stable code, e.g. {@code VGL-1101}. */
    public String code() {
        return "VGL-" + code;
    }

    /** The message clients see: the code, then the detail. */
    public String message(String detail) {
        return code() + ": " + detail;
    }
}
