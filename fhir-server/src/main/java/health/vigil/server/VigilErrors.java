package health.vigil.server;

/**
 * The client-facing errors of the Vigil server, each with a stable code. Messages start with the code
 * ({@code VGL-1001: ...}) so that clients and support can match on it whatever the wording.
 */
public enum VigilErrors {
    /** A request body larger than {@code vigil.server.limits.max-request-size}. */
    PAYLOAD_TOO_LARGE(1001),
    /** An Observation in category vital-signs that does not conform to the R4 vital-signs profiles. */
    VITAL_SIGNS_INVALID(1002),
    /** A request to a protected endpoint without a bearer access token (401). */
    TOKEN_MISSING(1010),
    /** A bearer token that failed validation: signature, issuer, audience, expiry or revocation (401). */
    TOKEN_REFUSED(1011),
    /** A request the authentication layer refused before HAPI saw it (403). */
    ACCESS_DENIED(1012);

    private final int code;

    VigilErrors(int code) {
        this.code = code;
    }

    /** The stable code, e.g. {@code VGL-1001}. */
    public String code() {
        return "VGL-" + code;
    }

    /** The message clients see: the code, then the detail. */
    public String message(String detail) {
        return code() + ": " + detail;
    }
}
