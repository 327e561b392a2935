package health.vigil.interceptors.consent;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.List;
import java.util.Optional;

/**
 * What consent did to one request, for its audit record.
 *
 * @param purpose the purpose of use the request was decided for
 * @param restricted whether a consent could hide anything from the requester (resources were checked)
 * @param breakGlass whether the request used emergency access (ETREAT by a role allowed to)
 * @param hidden how many resources consent withheld
 * @param overridden the denials break-glass overrode, as {@code Consent/1#provision.provision[0]}
 * @param firstDenial the first denial that withheld a resource, in the same form
 */
public record ConsentSummary(
        String purpose,
        boolean restricted,
        boolean breakGlass,
        int hidden,
        List<String> overridden,
        Optional<String> firstDenial) {

    public ConsentSummary {
        overridden = List.copyOf(overridden);
    }

    /** The summary of a request consent decided on, or empty (no caller, consent not enforced). */
    public static Optional<ConsentSummary> of(RequestDetails request) {
        return RequestConsent.of(request).map(RequestConsent::summary);
    }
}
