package health.vigil.interceptors.api;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling, as a verified access token says. Built by the server after the token's signature,
 * issuer, audience, expiry and revocation state were checked; the authorization module only reads it.
 *
 * @param subject the token's {@code sub}: the user in the identity provider, or the client's service
 *     account for backend services
 * @param clientId the OAuth client the token was issued to ({@code azp} or {@code client_id})
 * @param scopes the granted scopes as the token lists them: SMART resource scopes
 *     ({@code patient/Observation.rs}) and others ({@code openid}, {@code launch/patient})
 * @param patient the launch-context patient (the token's {@code patient} claim), as a plain id
 * @param fhirUser the user's own FHIR resource (the {@code fhirUser} claim) as {@code Type/id}, e.g.
 *     {@code Practitioner/123}
 * @param roles the user's roles in the identity provider (Keycloak's {@code realm_access.roles}, or a
 *     {@code roles} claim); consent reads them to decide who may break the glass
 */
public record AccessContext(
        String subject,
        String clientId,
        Set<String> scopes,
        Optional<String> patient,
        Optional<String> fhirUser,
        Set<String> roles) {

    public AccessContext {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(clientId, "clientId");
        scopes = Set.copyOf(scopes);
        roles = Set.copyOf(roles);
        patient = patient.filter(id -> !id.isBlank()).map(AccessContext::idPart);
        fhirUser = fhirUser.filter(reference -> !reference.isBlank()).map(AccessContext::typeAndId);
    }

    /** A caller without identity-provider roles. */
    public AccessContext(
            String subject, String clientId, Set<String> scopes, Optional<String> patient, Optional<String> fhirUser) {
        this(subject, clientId, scopes, patient, fhirUser, Set.of());
    }

    /** {@code Patient/123} or {@code 123} becomes {@code 123}. */
    private static String idPart(String patient) {
        return patient.substring(patient.lastIndexOf('/') + 1);
    }

    /** {@code https://host/fhir/Practitioner/123} or {@code Practitioner/123} becomes {@code Practitioner/123}. */
    private static String typeAndId(String reference) {
        String trimmed = reference.endsWith("/") ? reference.substring(0, reference.length() - 1) : reference;
        int idSlash = trimmed.lastIndexOf('/');
        if (idSlash <= 0) {
            return trimmed;
        }
        int typeSlash = trimmed.lastIndexOf('/', idSlash - 1);
        return trimmed.substring(typeSlash + 1);
    }
}
