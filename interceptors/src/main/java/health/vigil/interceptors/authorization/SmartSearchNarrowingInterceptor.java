package health.vigil.interceptors.authorization;

import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizedList;
import ca.uhn.fhir.rest.server.interceptor.auth.SearchNarrowingInterceptor;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;

/**
 * HAPI's search narrowing for patient-confined tokens: {@code Observation?code=x} runs as
 * {@code Observation?code=x&patient=Patient/123}, also in conditional URLs (of transaction entries too).
 * Transactions and batches with read entries are not narrowed: their results are judged one by one.
 * The compartment comes from {@link SearchConfinement}; {@link SmartAuthorizationInterceptor} still
 * checks every result.
 */
@Interceptor(order = SmartSearchNarrowingInterceptor.ORDER)
final class SmartSearchNarrowingInterceptor extends SearchNarrowingInterceptor {

    /** After {@link SearchConfinementInterceptor} has seen the client's own parameters. */
    static final int ORDER = SearchConfinementInterceptor.ORDER + 10;

    private final CallerAccess callerAccess;
    private final SearchConfinement confinement;

    SmartSearchNarrowingInterceptor(CallerAccess callerAccess, SearchConfinement confinement) {
        this.callerAccess = callerAccess;
        this.confinement = confinement;
        setNarrowConditionalUrls(true);
    }

    @Override
    protected AuthorizedList buildAuthorizedList(RequestDetails request) {
        if (request.getResource() instanceof Bundle bundle && hasReadEntries(bundle)) {
            // HAPI would rewrite a GET entry such as Observation/123 into a search of the whole compartment
            // (Observation?patient=...), losing the id. Read entries are judged resource by resource instead.
            return null;
        }
        Optional<String> type = Optional.ofNullable(request.getResourceName());
        return callerAccess
                .of(request)
                .flatMap(access -> confinement.compartment(access, type))
                .map(compartment -> new AuthorizedList().addCompartment(compartment))
                .orElse(null);
    }

    private static boolean hasReadEntries(Bundle bundle) {
        return bundle.getEntry().stream().anyMatch(entry -> entry.getRequest().getMethod() == Bundle.HTTPVerb.GET);
    }
}
