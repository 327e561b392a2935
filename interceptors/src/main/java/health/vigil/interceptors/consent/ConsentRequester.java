package health.vigil.interceptors.consent;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who asks to see a patient's data, and why: the request-side inputs of a consent decision.
 *
 * @param actors the requester's own FHIR references and those it acts within, as {@code Type/id}: the
 *     {@code fhirUser} (e.g. {@code Practitioner/1}), their PractitionerRoles, Organizations and
 *     CareTeams; a Consent provision's {@code actor} matches when it names one of them
 * @param clientId the OAuth client (app) the token was issued to; a provision's actor matches it by
 *     the identifier {@value #CLIENT_ID_SYSTEM}{@code |<client id>}
 * @param patient the patient the requester is, when the requester is a patient ({@code fhirUser}
 *     {@code Patient/x}): a patient always sees their own data
 * @param purpose the purpose of use, a code of {@value #PURPOSE_SYSTEM} (TREAT, ETREAT, HPAYMT, ...)
 * @param mayBreakGlass whether the requester's role may use emergency access (purpose ETREAT)
 */
record ConsentRequester(
        Set<String> actors, String clientId, Optional<String> patient, String purpose, boolean mayBreakGlass) {

    /** The code system of purposes of use (HL7 v3 ActReason). */
    public static final String PURPOSE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

    /** The identifier system Consent actors use to name a client app by its OAuth client id. */
    public static final String CLIENT_ID_SYSTEM = "https://vigil.health/fhir/sid/oauth-client-id";

    /** Emergency treatment: break-glass. */
    public static final String BREAK_GLASS_PURPOSE = "ETREAT";

    public ConsentRequester {
        actors = Set.copyOf(actors);
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(patient, "patient");
        Objects.requireNonNull(purpose, "purpose");
    }

    /** Whether this request breaks the glass: emergency treatment by a role allowed to. */
    public boolean breaksGlass() {
        return mayBreakGlass && BREAK_GLASS_PURPOSE.equals(purpose);
    }
}
