package health.vigil.server.ingestion;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import health.vigil.ingestion.api.FeedException;
import health.vigil.ingestion.api.IngestionErrors;

/** The HTTP answer to a payload or document the ingestion module cannot read: one mapping for every operation. */
public final class IngestionHttpErrors {

    private IngestionHttpErrors() {}

    /**
     * 415 for a format or type not read, 413 above a limit, 422 for a document that cannot be read or is
     * encrypted, 503 when OCR is needed and missing, else 400; the message keeps its {@code VGL-12nn} code.
     */
    public static BaseServerResponseException of(FeedException e) {
        return of(e.error(), e.getMessage());
    }

    /** The same answer for an error kept from an earlier request, its message as it was. */
    public static BaseServerResponseException of(IngestionErrors error, String message) {
        return switch (error) {
            case UNSUPPORTED_FORMAT -> new UnsupportedMediaTypeException(message);
            case PAYLOAD_TOO_LARGE -> new PayloadTooLargeException(message);
            case ENCRYPTED_DOCUMENT, UNREADABLE_DOCUMENT -> new UnprocessableEntityException(message);
            case OCR_UNAVAILABLE -> new ServiceUnavailableException(message);
            default -> new InvalidRequestException(message);
        };
    }

    /** 503: the server lacks what the request needs (OCR), for now. */
    static final class ServiceUnavailableException extends BaseServerResponseException {
        private static final long serialVersionUID = 1L;

        ServiceUnavailableException(String message) {
            super(503, message);
        }
    }
}
