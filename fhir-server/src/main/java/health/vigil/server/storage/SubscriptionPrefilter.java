package health.vigil.server.storage;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.subscription.match.matcher.subscriber.SubscriptionCriteriaParser;
import ca.uhn.fhir.jpa.subscription.match.registry.ActiveSubscription;
import ca.uhn.fhir.jpa.subscription.model.ResourceModifiedMessage;
import java.util.Collection;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Drops a resource change before HAPI queues it for Subscription matching when no active Subscription
 * could match its type. HAPI otherwise persists every change, reads the resource back on its matching
 * thread and only then looks at the Subscriptions: with none for Observations, that costs a device
 * ingest about a fifth of its CPU for nothing.
 *
 * <p>Changes to Subscriptions themselves always pass: they are how a new Subscription gets registered.
 * A Subscription whose criteria cannot be read, a {@code [*]} one, or a topic Subscription lets every
 * change pass, as HAPI would match them all. The registry is this node's, kept current by HAPI as
 * Subscriptions are stored (and reloaded from the database periodically), so the check is what HAPI's
 * own matcher would check a moment later.
 */
@Interceptor
final class SubscriptionPrefilter {

    private static final Set<String> ALWAYS = Set.of("Subscription", "SubscriptionTopic");

    private final Supplier<Collection<ActiveSubscription>> active;
    private final FhirContext fhirContext;

    SubscriptionPrefilter(Supplier<Collection<ActiveSubscription>> active, FhirContext fhirContext) {
        this.active = active;
        this.fhirContext = fhirContext;
    }

    /** Whether the change goes on to matching: false only when no active Subscription could match it. */
    @Hook(Pointcut.SUBSCRIPTION_RESOURCE_MODIFIED)
    public boolean couldMatch(ResourceModifiedMessage message) {
        var id = message.getPayloadId(fhirContext);
        String type = id == null ? null : id.getResourceType();
        if (type == null || ALWAYS.contains(type)) {
            return true;
        }
        for (ActiveSubscription subscription : active.get()) {
            SubscriptionCriteriaParser.SubscriptionCriteria criteria = subscription.getCriteria();
            if (criteria == null
                    || criteria.getType() == SubscriptionCriteriaParser.TypeEnum.STARTYPE_EXPRESSION
                    || criteria.getApplicableResourceTypes() == null
                    || criteria.getApplicableResourceTypes().contains(type)) {
                return true;
            }
        }
        return false;
    }
}
