package health.vigil.interceptors.api;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Consent for Subscription notifications, which are sent later, without a request. The server stamps
 * a Subscription with its creator ({@link #requester}) when it is stored, and asks before each
 * notification whether that creator may see the resource ({@link #permits}). The consent module
 * provides the bean when consent is enforced.
 */
public interface SubscriptionConsent {

    /**
     * The requester of this request as channel extensions ({@code url -> values}), to be stored on the
     * Subscription it writes; empty when consent does not apply to the request (no verified caller).
     */
    Map<String, List<String>> requester(RequestDetails request);

    /**
     * Whether the requester stamped on a Subscription may see the resource.
     *
     * @param channelExtension the Subscription's channel extension values by URL (empty when absent)
     */
    boolean permits(Function<String, List<String>> channelExtension, IBaseResource resource);

    /** Whether a channel extension URL is one of the stamp's (a client may not set them itself). */
    boolean isStamp(String url);
}
