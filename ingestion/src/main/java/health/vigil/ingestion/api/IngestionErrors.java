package health.vigil.ingestion.api;

/** The client-facing errors of the ingestion module, each with a stable code ({@code VGL-12nn}). */
public enum IngestionErrors {
    /** The payload cannot be read as its format at all: not JSON, not XML, not HL7 v2 (400). */
    MALFORMED_PAYLOAD(1201),
    /** No format reads the payload's content type, or the format asked for is unknown (415). */
    UNSUPPORTED_FORMAT(1202),
    /** One or more records of the batch cannot be stored; the report names each (422). */
    INVALID_RECORDS(1203),
    /** A device template that cannot be used: missing fields, a broken JSONPath, an unknown code (400 at load). */
    INVALID_TEMPLATE(1204),
    /** The request's parameters are missing or contradictory (400). */
    INVALID_REQUEST(1205),
    /** The payload holds more records, or expands to more bytes, than one request may (413). */
    PAYLOAD_TOO_LARGE(1206),
    /** A document that cannot be read: a corrupt PDF or image, a page OCR could not finish in time (422). */
    UNREADABLE_DOCUMENT(1207),
    /** A PDF that needs a password to be opened (422). */
    ENCRYPTED_DOCUMENT(1208),
    /** The document needs OCR and this server has none (no tessdata, or OCR switched off) (503). */
    OCR_UNAVAILABLE(1209);

    private final int code;

    IngestionErrors(int code) {
        this.code = code;
    }

    /** The stable code, e.g. {@code VGL-1201}. */
    public String code() {
        return "VGL-" + code;
    }

    /** The message clients see: the code, then the detail. */
    public String message(String detail) {
        return code() + ": " + detail;
    }
}
