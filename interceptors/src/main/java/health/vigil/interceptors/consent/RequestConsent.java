package health.vigil.interceptors.consent;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Consent's state for one request, kept in the request's user data: who is asking, whether a consent
 * can hide anything from them (if not, the request skips per-resource checks), and what the checks
 * decided, for the audit record.
 */
final class RequestConsent {

    private static final String KEY = RequestConsent.class.getName();

    private final ConsentRequester requester;
    private final boolean restricted;
    private int hidden;
    private final Set<String> overridden = new LinkedHashSet<>();
    private ConsentDecision firstDenial;

    private RequestConsent(ConsentRequester requester, boolean restricted) {
        this.requester = requester;
        this.restricted = restricted;
    }

    static RequestConsent start(RequestDetails request, ConsentRequester requester, boolean restricted) {
        RequestConsent state = new RequestConsent(requester, restricted);
        request.getUserData().put(KEY, state);
        return state;
    }

    static Optional<RequestConsent> of(RequestDetails request) {
        return request == null
                ? Optional.empty()
                : Optional.ofNullable((RequestConsent) request.getUserData().get(KEY));
    }

    ConsentRequester requester() {
        return requester;
    }

    /** Whether a consent may hide data from this request's requester, so each resource is checked. */
    boolean restricted() {
        return restricted;
    }

    synchronized void record(ConsentDecision decision) {
        if (!decision.permits()) {
            hidden++;
            if (firstDenial == null) {
                firstDenial = decision;
            }
        } else if (decision.basis() == ConsentDecision.Basis.BREAK_GLASS) {
            overridden.add(decision.consent().orElse("default-policy")
                    + decision.provision().map(path -> "#" + path).orElse(""));
        }
    }

    /** How many resources consent withheld from the response. */
    synchronized int hidden() {
        return hidden;
    }

    /** The denials break-glass overrode, as {@code Consent/1#provision.provision[0]}. */
    synchronized Set<String> overridden() {
        return Set.copyOf(overridden);
    }

    synchronized Optional<ConsentDecision> firstDenial() {
        return Optional.ofNullable(firstDenial);
    }

    synchronized ConsentSummary summary() {
        return new ConsentSummary(
                requester.purpose(),
                restricted,
                requester.breaksGlass(),
                hidden,
                List.copyOf(overridden),
                Optional.ofNullable(firstDenial)
                        .map(denial -> denial.consent().orElse("default-policy")
                                + denial.provision().map(path -> "#" + path).orElse("")));
    }
}
