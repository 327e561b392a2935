package health.vigil.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.subscription.match.registry.ActiveSubscription;
import ca.uhn.fhir.jpa.subscription.model.CanonicalSubscription;
import ca.uhn.fhir.jpa.subscription.model.ResourceModifiedMessage;
import ca.uhn.fhir.rest.server.messaging.BaseResourceMessage.OperationTypeEnum;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.Test;

class SubscriptionPrefilterTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final List<ActiveSubscription> active = new ArrayList<>();
    private final MutableClock clock = new MutableClock();
    private final SubscriptionPrefilter prefilter = new SubscriptionPrefilter(() -> active, FHIR, clock);

    @Test
    void couldMatch_noSubscriptions_dropsEveryChangeButSubscriptionsThemselves() {
        assertThat(prefilter.couldMatch(changed(observation()))).isFalse();
        assertThat(prefilter.couldMatch(changed(new Patient().setId("Patient/p1"))))
                .isFalse();
        assertThat(prefilter.couldMatch(changed(new Subscription().setId("Subscription/s1"))))
                .isTrue();
    }

    @Test
    void couldMatch_aSubscriptionOnObservations_passesObservationsOnly() {
        active.add(subscription("Observation?code=http://loinc.org|8867-4"));

        assertThat(prefilter.couldMatch(changed(observation()))).isTrue();
        assertThat(prefilter.couldMatch(changed(new Patient().setId("Patient/p1"))))
                .isFalse();
    }

    @Test
    void couldMatch_multiTypeStarOrUnreadableCriteria_passEverything() {
        active.add(subscription("[Patient,Encounter]"));
        assertThat(prefilter.couldMatch(changed(new Patient().setId("Patient/p1"))))
                .isTrue();
        assertThat(prefilter.couldMatch(changed(observation()))).isFalse();

        active.add(subscription("[*]"));
        assertThat(prefilter.couldMatch(changed(observation()))).isTrue();

        active.clear();
        active.add(subscription("?unreadable"));
        assertThat(prefilter.couldMatch(changed(observation()))).isTrue();
    }

    @Test
    void couldMatch_aSubscriptionStoredButNotYetRegistered_passesEverythingUntilItIs() {
        prefilter.couldMatch(changed(new Subscription().setId("Subscription/s1")));

        assertThat(prefilter.couldMatch(changed(observation()))).isTrue();

        active.add(subscription("s1", "Patient?name=x"));
        assertThat(prefilter.couldMatch(changed(observation()))).isFalse();
        assertThat(prefilter.couldMatch(changed(new Patient().setId("Patient/p1"))))
                .isTrue();
    }

    @Test
    void couldMatch_aSubscriptionThatNeverRegisters_stopsPassingEverythingAfterTheGracePeriod() {
        prefilter.couldMatch(changed(new Subscription().setId("Subscription/s1")));
        clock.advance(SubscriptionPrefilter.REGISTRATION_GRACE.minusSeconds(1));
        assertThat(prefilter.couldMatch(changed(observation()))).isTrue();

        clock.advance(Duration.ofSeconds(2));
        assertThat(prefilter.couldMatch(changed(observation()))).isFalse();
    }

    @Test
    void couldMatch_aRegisteredSubscriptionChanged_passesEverythingForTheGracePeriod() {
        active.add(subscription("s1", "Patient?name=x"));
        prefilter.couldMatch(changed(new Subscription().setId("Subscription/s1")));

        assertThat(prefilter.couldMatch(changed(observation()))).isTrue();
        clock.advance(SubscriptionPrefilter.REGISTRATION_GRACE.plusSeconds(1));
        assertThat(prefilter.couldMatch(changed(observation()))).isFalse();
    }

    @Test
    void couldMatch_aDeletedSubscription_isNotAwaited() {
        prefilter.couldMatch(new ResourceModifiedMessage(
                FHIR, new Subscription().setId("Subscription/s1"), OperationTypeEnum.DELETE));

        assertThat(prefilter.couldMatch(changed(observation()))).isFalse();
    }

    private static Observation observation() {
        Observation observation = new Observation();
        observation.setId("Observation/o1");
        return observation;
    }

    private static ResourceModifiedMessage changed(org.hl7.fhir.instance.model.api.IBaseResource resource) {
        return new ResourceModifiedMessage(FHIR, resource, OperationTypeEnum.CREATE);
    }

    private static ActiveSubscription subscription(String criteria) {
        return subscription(String.valueOf(criteria.hashCode()), criteria);
    }

    private static ActiveSubscription subscription(String id, String criteria) {
        CanonicalSubscription subscription = new CanonicalSubscription();
        subscription.setIdElement(new ca.uhn.fhir.model.primitive.IdDt("Subscription/" + id));
        subscription.setCriteriaString(criteria);
        return new ActiveSubscription(subscription, "channel");
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
