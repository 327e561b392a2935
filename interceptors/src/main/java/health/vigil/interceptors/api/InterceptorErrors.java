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
    SEARCH_NOT_CONFINABLE(1103);

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
