package health.vigil.server.ingestion;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;

/** 415: the request body is in a format the operation does not read. */
final class UnsupportedMediaTypeException extends BaseServerResponseException {

    private static final long serialVersionUID = 1L;

    UnsupportedMediaTypeException(String message) {
        super(415, message);
    }
}
