package health.vigil.interceptors.audit;

import ca.uhn.fhir.util.UrlUtil;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Map;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentNetworkType;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

/**
 * Maps an {@link AuditRecord} to an R4 {@code AuditEvent} following IHE Basic Audit Log Patterns
 * (BALP) for RESTful activity: type {@code rest}, subtype the FHIR interaction, the client app (source
 * role), the server (destination role) and the user as agents, the patient, the resources and the
 * search query as entities, the X-Request-ID as a transaction entity, and the consent decision that
 * applied.
 */
final class BalpAuditEvents {

    static final String INTERACTION_SYSTEM = "http://hl7.org/fhir/restful-interaction";
    static final String EVENT_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    static final String DICOM = "http://dicom.nema.org/resources/ontology/DCM";
    static final String ENTITY_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    static final String OBJECT_ROLE_SYSTEM = "http://terminology.hl7.org/CodeSystem/object-role";
    static final String BALP_ENTITY_TYPE_SYSTEM =
            "http://hl7.org/fhir/uv/ihe-basic-audit/CodeSystem/BasicAuditEntityType";
    static final String SECURITY_ROLE_SYSTEM = "http://terminology.hl7.org/CodeSystem/extra-security-role-type";
    static final String SOURCE_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/security-source-type";
    static final String PURPOSE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    static final String CLIENT_ID_SYSTEM = "https://vigil.health/fhir/sid/oauth-client-id";
    static final String SUBJECT_SYSTEM = "https://vigil.health/fhir/sid/oauth-subject";
    /** The detail type that carries the consent decision on the Consent entity. */
    static final String CONSENT_DECISION = "consent-decision";
    /** The policy an agent acts under when it breaks the glass; {@code AuditEvent?policy=} finds them. */
    static final String BREAK_GLASS_POLICY = health.vigil.interceptors.api.AuditStorage.BREAK_GLASS_POLICY;

    private static final Map<String, AuditEventAction> ACTIONS = Map.ofEntries(
            Map.entry("create", AuditEventAction.C),
            Map.entry("read", AuditEventAction.R),
            Map.entry("vread", AuditEventAction.R),
            Map.entry("search-type", AuditEventAction.E),
            Map.entry("search-system", AuditEventAction.E),
            Map.entry("history-instance", AuditEventAction.R),
            Map.entry("history-type", AuditEventAction.R),
            Map.entry("history-system", AuditEventAction.R),
            Map.entry("capabilities", AuditEventAction.R),
            Map.entry("update", AuditEventAction.U),
            Map.entry("patch", AuditEventAction.U),
            Map.entry("delete", AuditEventAction.D),
            Map.entry("transaction", AuditEventAction.E),
            Map.entry("batch", AuditEventAction.E),
            Map.entry("operation", AuditEventAction.E));

    private final String serverName;

    BalpAuditEvents(String serverName) {
        this.serverName = serverName;
    }

    AuditEvent toAuditEvent(AuditRecord record) {
        AuditEvent event = new AuditEvent();
        event.setType(new Coding(EVENT_TYPE_SYSTEM, "rest", "Restful Operation"));
        event.addSubtype(new Coding(INTERACTION_SYSTEM, record.interaction(), null));
        event.setAction(ACTIONS.getOrDefault(record.interaction(), AuditEventAction.E));
        event.setPeriod(new Period().setStart(Date.from(record.started())).setEnd(Date.from(record.ended())));
        event.setRecorded(Date.from(record.ended()));
        event.setOutcome(outcome(record.status()));
        record.failure().ifPresent(event::setOutcomeDesc);
        AuditRecord.Requester requester = record.requester();
        CodeableConcept purpose = new CodeableConcept(new Coding(PURPOSE_SYSTEM, requester.purposeOfUse(), null));
        event.addPurposeOfEvent(purpose);

        boolean humanUser = requester.fhirUser().isPresent();
        requester
                .clientId()
                .ifPresent(client -> event.addAgent(new AuditEventAgentComponent()
                        .setType(new CodeableConcept(new Coding(DICOM, "110153", "Source Role ID")))
                        .setWho(new Reference()
                                .setIdentifier(new Identifier()
                                        .setSystem(CLIENT_ID_SYSTEM)
                                        .setValue(client)))
                        .setRequestor(!humanUser)
                        .setNetwork(network(requester.networkAddress()))));
        if (humanUser || requester.subject().isPresent()) {
            AuditEventAgentComponent user = event.addAgent()
                    .setType(new CodeableConcept(new Coding(SECURITY_ROLE_SYSTEM, "humanuser", "human user")))
                    .setRequestor(true)
                    .addPurposeOfUse(purpose);
            requester.fhirUser().ifPresent(fhirUser -> user.setWho(new Reference(fhirUser)));
            requester.subject().ifPresent(subject -> user.setAltId(subject));
            if (!humanUser) {
                user.setType(new CodeableConcept(new Coding(DICOM, "110150", "Application")));
                user.setRequestor(false);
            }
        }
        if (requester.clientId().isEmpty() && requester.subject().isEmpty()) {
            event.addAgent()
                    .setType(new CodeableConcept(new Coding(DICOM, "110153", "Source Role ID")))
                    .setWho(new Reference().setDisplay("unauthenticated client"))
                    .setRequestor(true)
                    .setNetwork(network(requester.networkAddress()));
        }
        if (record.consent().map(AuditRecord.ConsentNote::breakGlass).orElse(false)) {
            event.getAgent().stream()
                    .filter(AuditEventAgentComponent::getRequestor)
                    .forEach(agent -> agent.addPolicy(BREAK_GLASS_POLICY));
        }
        event.addAgent()
                .setType(new CodeableConcept(new Coding(DICOM, "110152", "Destination Role ID")))
                .setWho(new Reference().setDisplay(serverName))
                .setRequestor(false);
        event.getSource()
                .setObserver(new Reference().setDisplay(serverName))
                .addType(new Coding(SOURCE_TYPE_SYSTEM, "4", "Application Server"));

        for (String patient : record.patients()) {
            event.addEntity()
                    .setWhat(new Reference("Patient/" + patient))
                    .setType(new Coding(ENTITY_TYPE_SYSTEM, "1", "Person"))
                    .setRole(new Coding(OBJECT_ROLE_SYSTEM, "1", "Patient"));
        }
        for (String resource : record.resources()) {
            if (resource.startsWith("Patient/") && record.patients().contains(resource.substring(8))) {
                continue;
            }
            event.addEntity()
                    .setWhat(new Reference(resource))
                    .setType(new Coding(ENTITY_TYPE_SYSTEM, "2", "System Object"))
                    .setRole(new Coding(OBJECT_ROLE_SYSTEM, "4", "Domain Resource"));
        }
        record.query().ifPresent(query -> event.addEntity()
                .setType(new Coding(ENTITY_TYPE_SYSTEM, "2", "System Object"))
                .setRole(new Coding(OBJECT_ROLE_SYSTEM, "24", "Query"))
                .setDescription(record.resourceType().orElse("") + "?" + UrlUtil.sanitizeUrlPart(query))
                .setQuery(query.getBytes(StandardCharsets.UTF_8)));
        event.addEntity()
                .setWhat(new Reference().setIdentifier(new Identifier().setValue(record.requestId())))
                .setType(new Coding(BALP_ENTITY_TYPE_SYSTEM, "XrequestId", "X-Request-Id"));
        record.consent().ifPresent(consent -> {
            AuditEventEntityComponent entity = event.addEntity()
                    .setType(new Coding(ENTITY_TYPE_SYSTEM, "2", "System Object"))
                    .setRole(new Coding(OBJECT_ROLE_SYSTEM, "13", "Security Resource"));
            consent.consent().ifPresent(reference -> entity.setWhat(new Reference(reference)));
            entity.addDetail()
                    .setType(CONSENT_DECISION)
                    .setValue(new org.hl7.fhir.r4.model.StringType(consent.decision()
                            + consent.provision().map(path -> " " + path).orElse("")
                            + (consent.hidden() > 0 ? " (" + consent.hidden() + " withheld)" : "")));
        });
        return event;
    }

    private static AuditEventOutcome outcome(int status) {
        if (status < 400) {
            return AuditEventOutcome._0;
        }
        return status < 500 ? AuditEventOutcome._4 : AuditEventOutcome._8;
    }

    private static AuditEvent.AuditEventAgentNetworkComponent network(String address) {
        return new AuditEvent.AuditEventAgentNetworkComponent()
                .setAddress(address)
                .setType(AuditEventAgentNetworkType._2); // an IP address
    }
}
