package health.vigil.interceptors.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.api.Test;

class AuditChainTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private final AuditChain chain = new AuditChain(FHIR);

    @Test
    void verify_untouchedChain_isIntactWithItsHead() {
        List<AuditEvent> events = chained(5);

        AuditChain.Verification verification = chain.verify(events);

        assertThat(verification.intact()).isTrue();
        assertThat(verification.verified()).isEqualTo(5);
        assertThat(verification.head())
                .isEqualTo(AuditChain.link(events.get(4)).orElseThrow().hash());
    }

    @Test
    void verify_afterStorageRoundTrip_isIntact() {
        List<AuditEvent> stored = new ArrayList<>();
        for (AuditEvent event : chained(3)) {
            String json = FHIR.newJsonParser().encodeResourceToString(event);
            AuditEvent read = FHIR.newJsonParser().parseResource(AuditEvent.class, json);
            read.setId("AuditEvent/" + stored.size());
            read.getMeta().setVersionId("1").setLastUpdated(new Date());
            stored.add(read);
        }

        assertThat(chain.verify(stored).intact()).isTrue();
    }

    @Test
    void verify_editedEvent_brokenThereBecauseOfItsContent() {
        List<AuditEvent> events = chained(5);
        events.get(2).setOutcome(AuditEvent.AuditEventOutcome._0).setOutcomeDesc("nothing to see");

        AuditChain.Verification verification = chain.verify(events);

        assertThat(verification.intact()).isFalse();
        assertThat(verification.brokenAt()).contains(3L);
        assertThat(verification.brokenEvent()).contains("e3");
        assertThat(verification.reason()).get().asString().contains("content");
        assertThat(verification.verified()).isEqualTo(2);
    }

    @Test
    void verify_deletedEvent_brokenAtTheGap() {
        List<AuditEvent> events = chained(5);
        events.remove(1);

        AuditChain.Verification verification = chain.verify(events);

        assertThat(verification.brokenAt()).contains(2L);
        assertThat(verification.reason()).get().asString().contains("sequence 3");
    }

    @Test
    void verify_rehashedForgery_brokenAtTheNextEvent() {
        List<AuditEvent> events = chained(4);
        AuditEvent forged = events.get(1);
        forged.setOutcomeDesc("forged");
        // The forger recomputes the edited event's own hash, but not its successors'.
        chain.link(forged, 2, AuditChain.link(events.get(0)).orElseThrow().hash());

        AuditChain.Verification verification = chain.verify(events);

        assertThat(verification.brokenAt()).contains(3L);
        assertThat(verification.reason()).get().asString().contains("predecessor");
    }

    @Test
    void verify_eventWithoutLink_broken() {
        List<AuditEvent> events = chained(2);
        events.get(1).getExtension().clear();

        assertThat(chain.verify(events).reason()).get().asString().contains("no chain link");
    }

    private List<AuditEvent> chained(int count) {
        List<AuditEvent> events = new ArrayList<>();
        String previous = AuditChain.GENESIS;
        for (int i = 1; i <= count; i++) {
            AuditEvent event = new AuditEvent();
            event.setId("e" + i);
            event.setType(new Coding(BalpAuditEvents.EVENT_TYPE_SYSTEM, "rest", null));
            event.setRecorded(new Date(1_700_000_000_000L + i));
            event.setOutcome(AuditEvent.AuditEventOutcome._4).setOutcomeDesc("denied " + i);
            previous = chain.link(event, i, previous);
            events.add(event);
        }
        return events;
    }
}
