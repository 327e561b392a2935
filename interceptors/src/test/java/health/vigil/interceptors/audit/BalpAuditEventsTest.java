package health.vigil.interceptors.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.junit.jupiter.api.Test;

class BalpAuditEventsTest {

    private final BalpAuditEvents balp = new BalpAuditEvents("Vigil FHIR server");

    @Test
    void toAuditEvent_practitionerRead_isABalpRestReadWithUserAppServerAndPatient() {
        AuditEvent event = balp.toAuditEvent(record(
                "read",
                List.of("Observation/o1"),
                List.of("p1"),
                Optional.empty(),
                200,
                practitioner(),
                Optional.empty()));

        assertThat(event.getType().getCode()).isEqualTo("rest");
        assertThat(event.getSubtypeFirstRep().getSystem()).isEqualTo(BalpAuditEvents.INTERACTION_SYSTEM);
        assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("read");
        assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
        assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        assertThat(event.getPurposeOfEventFirstRep().getCodingFirstRep().getCode())
                .isEqualTo("TREAT");

        AuditEventAgentComponent user = agent(event, "humanuser");
        assertThat(user.getWho().getReference()).isEqualTo("Practitioner/dr");
        assertThat(user.getRequestor()).isTrue();
        AuditEventAgentComponent app = agent(event, "110153");
        assertThat(app.getWho().getIdentifier().getValue()).isEqualTo("clinician-app");
        assertThat(app.getRequestor()).isFalse();
        assertThat(app.getNetwork().getAddress()).isEqualTo("10.0.0.7");
        assertThat(agent(event, "110152").getWho().getDisplay()).isEqualTo("Vigil FHIR server");

        assertThat(entity(event, "1").getWhat().getReference()).isEqualTo("Patient/p1");
        assertThat(entity(event, "4").getWhat().getReference()).isEqualTo("Observation/o1");
        assertThat(event.getEntity())
                .anyMatch(entity -> entity.getType().getCode().equals("XrequestId")
                        && entity.getWhat().getIdentifier().getValue().equals("req-1"));
    }

    @Test
    void toAuditEvent_search_carriesTheQuery() {
        AuditEvent event = balp.toAuditEvent(record(
                "search-type",
                List.of(),
                List.of("p1"),
                Optional.of("patient=p1&code=8867-4"),
                200,
                practitioner(),
                Optional.empty()));

        AuditEventEntityComponent query = entity(event, "24");
        assertThat(new String(query.getQuery(), StandardCharsets.UTF_8)).isEqualTo("patient=p1&code=8867-4");
        assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.E);
    }

    @Test
    void toAuditEvent_consentDenial_recordsOutcomeAndTheDecidingProvision() {
        AuditEvent event = balp.toAuditEvent(record(
                "read",
                List.of("Observation/o1"),
                List.of("p1"),
                Optional.empty(),
                403,
                practitioner(),
                Optional.of(new AuditRecord.ConsentNote(
                        "DENY", Optional.of("Consent/c1"), Optional.of("provision.provision[0]")))));

        assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
        assertThat(event.getOutcomeDesc()).isEqualTo("refused");
        AuditEventEntityComponent consent = entity(event, "13");
        assertThat(consent.getWhat().getReference()).isEqualTo("Consent/c1");
        assertThat(consent.getDetailFirstRep().getValue().primitiveValue()).isEqualTo("DENY provision.provision[0]");
    }

    @Test
    void toAuditEvent_backendServiceWithoutUser_appIsTheRequestor() {
        AuditRecord.Requester backend = new AuditRecord.Requester(
                Optional.of("service-account"), Optional.empty(), Optional.of("backend"), "TREAT", "10.0.0.9");

        AuditEvent event = balp.toAuditEvent(
                record("operation", List.of(), List.of(), Optional.empty(), 202, backend, Optional.empty()));

        assertThat(agent(event, "110153").getRequestor()).isTrue();
        assertThat(event.getAgent())
                .noneMatch(
                        agent -> agent.getType().getCodingFirstRep().getCode().equals("humanuser"));
    }

    @Test
    void toAuditEvent_unauthenticatedRequest_namesTheUnauthenticatedClient() {
        AuditRecord.Requester nobody =
                new AuditRecord.Requester(Optional.empty(), Optional.empty(), Optional.empty(), "TREAT", "10.0.0.5");

        AuditEvent event = balp.toAuditEvent(
                record("search-type", List.of(), List.of(), Optional.empty(), 401, nobody, Optional.empty()));

        assertThat(agent(event, "110153").getWho().getDisplay()).isEqualTo("unauthenticated client");
        assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
    }

    private static AuditRecord record(
            String interaction,
            List<String> resources,
            List<String> patients,
            Optional<String> query,
            int status,
            AuditRecord.Requester requester,
            Optional<AuditRecord.ConsentNote> consent) {
        return new AuditRecord(
                "req-1",
                Instant.parse("2026-12-01T10:00:00Z"),
                Instant.parse("2026-12-01T10:00:00.040Z"),
                interaction,
                Optional.empty(),
                Optional.of("Observation"),
                resources,
                patients,
                query,
                status,
                status >= 400 ? Optional.of("refused") : Optional.empty(),
                requester,
                consent);
    }

    private static AuditRecord.Requester practitioner() {
        return new AuditRecord.Requester(
                Optional.of("kc-user-1"),
                Optional.of("Practitioner/dr"),
                Optional.of("clinician-app"),
                "TREAT",
                "10.0.0.7");
    }

    private static AuditEventAgentComponent agent(AuditEvent event, String typeCode) {
        return event.getAgent().stream()
                .filter(agent -> agent.getType().getCodingFirstRep().getCode().equals(typeCode))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no agent of type " + typeCode));
    }

    private static AuditEventEntityComponent entity(AuditEvent event, String roleCode) {
        return event.getEntity().stream()
                .filter(entity -> roleCode.equals(entity.getRole().getCode()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no entity of role " + roleCode));
    }
}
