package health.vigil.interceptors.audit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One interaction with the server as the audit hooks saw it: who, with which app, did what to which
 * resources of which patients, with what outcome, under which consent decision. Immutable; the audit
 * writer turns it into an IHE BALP {@code AuditEvent}.
 *
 * @param requestId the request id ({@code X-Request-ID}), also in the logs
 * @param started when the request arrived
 * @param ended when the response was complete
 * @param interaction the FHIR RESTful interaction ({@code read}, {@code search-type}, {@code create},
 *     ..., {@code operation}), as codes of {@value BalpAuditEvents#INTERACTION_SYSTEM}
 * @param operation the operation name for {@code operation} ({@code $everything}), else empty
 * @param resourceType the type the request addressed, empty for server-level requests
 * @param resources the resources read, written or returned, as {@code Type/id}
 * @param patients the patients whose data was involved, as plain ids
 * @param query the query string of a search, empty for other interactions
 * @param status the HTTP status sent
 * @param failure what went wrong, for 4xx and 5xx answers (the OperationOutcome's diagnostics)
 * @param requester who asked
 * @param consent the consent decision that applied, when consent was evaluated
 */
record AuditRecord(
        String requestId,
        Instant started,
        Instant ended,
        String interaction,
        Optional<String> operation,
        Optional<String> resourceType,
        List<String> resources,
        List<String> patients,
        Optional<String> query,
        int status,
        Optional<String> failure,
        Requester requester,
        Optional<ConsentNote> consent) {

    AuditRecord {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(interaction, "interaction");
        resources = List.copyOf(resources);
        patients = List.copyOf(patients);
    }

    /**
     * @param subject the token's subject, empty without a token
     * @param fhirUser the user's FHIR resource ({@code Practitioner/1}), when the token names one
     * @param clientId the OAuth client (app), empty without a token
     * @param purposeOfUse the purpose of use code (v3 ActReason), {@code TREAT} unless asked otherwise
     * @param networkAddress the client's IP address
     */
    record Requester(
            Optional<String> subject,
            Optional<String> fhirUser,
            Optional<String> clientId,
            String purposeOfUse,
            String networkAddress) {}

    /**
     * @param decision {@code PERMIT} (nothing withheld), {@code PARTIAL} (some resources withheld),
     *     {@code DENY} (the resource asked for withheld) or {@code BREAK_GLASS} (emergency access)
     * @param consent the Consent that decided ({@code Consent/1}), if one did: for a denial the first
     *     denying one, for break-glass the first one it overrode
     * @param provision where in it ({@code provision.provision[0]})
     * @param hidden how many resources consent withheld
     */
    record ConsentNote(String decision, Optional<String> consent, Optional<String> provision, int hidden) {

        ConsentNote(String decision, Optional<String> consent, Optional<String> provision) {
            this(decision, consent, provision, 0);
        }

        boolean breakGlass() {
            return "BREAK_GLASS".equals(decision);
        }
    }
}
