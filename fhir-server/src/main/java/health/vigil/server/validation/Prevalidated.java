package health.vigil.server.validation;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;

/**
 * Marks an internal write whose Observations the server built itself and which conform to the R4
 * vital-signs profiles by construction (device ingestion's mapper, tested against those profiles), so
 * the profile validation, by far the costliest step of storing an Observation, is not run again. Never
 * set on a request a client sent.
 */
public final class Prevalidated {

    private static final String KEY = Prevalidated.class.getName();

    private Prevalidated() {}

    /** A system request whose vital signs are not validated again. */
    public static SystemRequestDetails systemRequest() {
        SystemRequestDetails request = new SystemRequestDetails();
        request.getUserData().put(KEY, Boolean.TRUE);
        return request;
    }

    static boolean isMarked(RequestDetails request) {
        return request != null && Boolean.TRUE.equals(request.getUserData().get(KEY));
    }
}
