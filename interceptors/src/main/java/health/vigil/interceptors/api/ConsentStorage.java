package health.vigil.interceptors.api;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Consent;

/**
 * What consent enforcement needs from storage. The server implements it over its DAOs; a bean of this
 * type (with an {@link AccessContextResolver}) switches consent enforcement on.
 *
 * <p>Every method reads as the system, not as the caller: consent must see the Consents and
 * affiliations that decide for the caller, whatever the caller may read. Results are cached by the
 * consent module and dropped when a Consent, PractitionerRole or CareTeam is written, so the methods
 * are called rarely (once per patient and requester, per cache lifetime) and may query the database.
 */
public interface ConsentStorage {

    /** Every Consent whose {@code patient} is {@code Patient/<patientId>}, in any state. */
    List<Consent> consentsOf(String patientId);

    /**
     * The ids of the patients that have at least one active {@code patient-privacy} Consent: the only
     * patients whose data a consent can hide under the opt-out default.
     */
    Set<String> patientsWithConsents();

    /**
     * What a user acts within, as {@code Type/id}: for {@code Practitioner/1}, their PractitionerRoles,
     * those roles' Organizations, and the CareTeams they take part in. Empty for other users.
     */
    Set<String> affiliationsOf(String fhirUser);

    /** One resource by {@code Type/id}, current version, or empty when it does not exist. */
    Optional<IBaseResource> read(String reference);

    /**
     * How many resources the search of this request matches that {@code visible} accepts: the count a
     * caller may learn under consent. The request's resource type and search parameters define the
     * search ({@code _summary}, {@code _total}, {@code _count} and paging are ignored); every match is
     * loaded and tested, so the cost grows with the number of matches.
     */
    long countVisible(RequestDetails request, Predicate<IBaseResource> visible);
}
