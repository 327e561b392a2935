package health.vigil.server.consent;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.subscription.model.CanonicalSubscription;
import ca.uhn.fhir.jpa.subscription.model.ResourceDeliveryMessage;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import health.vigil.interceptors.api.SubscriptionConsent;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consent for Subscription notifications. When a client stores a Subscription, its requester is
 * stamped on the channel (replacing any stamp the client sent); before each notification the payload
 * is decided on for that requester, and a notification about a resource it may not see is not sent
 * (nor is one without a payload to decide on). Registered on the storage interceptor service.
 */
@Interceptor
final class SubscriptionConsentInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionConsentInterceptor.class);

    private final SubscriptionConsent consent;
    private final FhirContext fhirContext;

    SubscriptionConsentInterceptor(SubscriptionConsent consent, FhirContext fhirContext) {
        this.consent = consent;
        this.fhirContext = fhirContext;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void creating(IBaseResource resource, RequestDetails request) {
        stamp(resource, request);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updating(IBaseResource previous, IBaseResource resource, RequestDetails request) {
        stamp(resource, request);
    }

    @Hook(Pointcut.SUBSCRIPTION_BEFORE_DELIVERY)
    public boolean delivering(CanonicalSubscription subscription, ResourceDeliveryMessage message) {
        if (subscription
                .getChannelExtensions("https://vigil.health/fhir/StructureDefinition/subscription-requester-purpose")
                .isEmpty()) {
            return true;
        }
        IBaseResource payload = message.getPayload(fhirContext);
        boolean permitted = payload != null && consent.permits(subscription::getChannelExtensions, payload);
        if (!permitted) {
            LOG.debug("Subscription notification withheld by consent");
        }
        return permitted;
    }

    /**
     * A client's write replaces the stamp with its own requester; the server's own updates (HAPI
     * activating the Subscription) have no requester and keep the stamp as stored.
     */
    private void stamp(IBaseResource resource, RequestDetails request) {
        if (!(resource instanceof Subscription subscription) || request == null) {
            return;
        }
        Map<String, List<String>> requester = consent.requester(request);
        if (requester.isEmpty()) {
            return;
        }
        subscription.getChannel().getExtension().removeIf(extension -> consent.isStamp(extension.getUrl()));
        requester.forEach((url, values) ->
                values.forEach(value -> subscription.getChannel().addExtension(url, new StringType(value))));
    }
}
