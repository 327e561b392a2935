package health.vigil.server.consent;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.util.UrlUtil;
import health.vigil.interceptors.api.ConsentStorage;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.PractitionerRole;

/** {@link ConsentStorage} over the JPA DAOs, reading as the system (no interceptors, no consent). */
final class JpaConsentStorage implements ConsentStorage {

    /** Parameters that shape a response, not the set of matches a count is about. */
    private static final Set<String> NOT_MATCHING = Set.of(
            Constants.PARAM_SUMMARY,
            Constants.PARAM_SEARCH_TOTAL_MODE,
            Constants.PARAM_COUNT,
            Constants.PARAM_OFFSET,
            Constants.PARAM_FORMAT,
            Constants.PARAM_PRETTY,
            Constants.PARAM_ELEMENTS,
            Constants.PARAM_SORT,
            Constants.PARAM_INCLUDE,
            Constants.PARAM_REVINCLUDE,
            Constants.PARAM_PAGINGACTION);

    private static final int PAGE = 500;

    private final DaoRegistry daos;
    private final MatchUrlService matchUrls;
    private final FhirContext fhirContext;

    JpaConsentStorage(DaoRegistry daos, MatchUrlService matchUrls, FhirContext fhirContext) {
        this.daos = daos;
        this.matchUrls = matchUrls;
        this.fhirContext = fhirContext;
    }

    @Override
    public List<Consent> consentsOf(String patientId) {
        SearchParameterMap search =
                SearchParameterMap.newSynchronous("patient", new ReferenceParam("Patient/" + patientId));
        return daos.getResourceDao(Consent.class).searchForResources(search, system());
    }

    @Override
    public Set<String> patientsWithConsents() {
        SearchParameterMap search = SearchParameterMap.newSynchronous()
                .add("status", new TokenParam("active"))
                .add("scope", new TokenParam("patient-privacy"));
        Set<String> patients = new LinkedHashSet<>();
        for (Consent consent : daos.getResourceDao(Consent.class).searchForResources(search, system())) {
            Optional.ofNullable(consent.getPatient().getReferenceElement().getIdPart())
                    .ifPresent(patients::add);
        }
        return patients;
    }

    @Override
    public Set<String> affiliationsOf(String fhirUser) {
        Set<String> affiliations = new LinkedHashSet<>();
        if (fhirUser.startsWith("Practitioner/")) {
            SearchParameterMap roles = SearchParameterMap.newSynchronous("practitioner", new ReferenceParam(fhirUser));
            for (PractitionerRole role :
                    daos.getResourceDao(PractitionerRole.class).searchForResources(roles, system())) {
                affiliations.add("PractitionerRole/" + role.getIdElement().getIdPart());
                if (role.getOrganization().hasReference()) {
                    IdType organization = new IdType(role.getOrganization().getReference());
                    affiliations.add("Organization/" + organization.getIdPart());
                }
            }
        }
        if (fhirUser.startsWith("Practitioner/")
                || fhirUser.startsWith("RelatedPerson/")
                || fhirUser.startsWith("PractitionerRole/")) {
            SearchParameterMap teams = SearchParameterMap.newSynchronous("participant", new ReferenceParam(fhirUser));
            for (CareTeam team : daos.getResourceDao(CareTeam.class).searchForResources(teams, system())) {
                affiliations.add("CareTeam/" + team.getIdElement().getIdPart());
            }
        }
        return affiliations;
    }

    @Override
    public Optional<IBaseResource> read(String reference) {
        IdType id = new IdType(reference);
        if (!daos.isResourceTypeSupported(id.getResourceType())) {
            return Optional.empty();
        }
        try {
            return Optional.of(daos.getResourceDao(id.getResourceType()).read(id, system()));
        } catch (ResourceNotFoundException | ResourceGoneException missing) {
            return Optional.empty();
        }
    }

    @Override
    public long countVisible(RequestDetails request, Predicate<IBaseResource> visible) {
        String type = request.getResourceName();
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, String[]> parameter : request.getParameters().entrySet()) {
            if (NOT_MATCHING.contains(parameter.getKey())) {
                continue;
            }
            for (String value : parameter.getValue()) {
                query.append(query.isEmpty() ? "" : "&")
                        .append(UrlUtil.escapeUrlParam(parameter.getKey()))
                        .append('=')
                        .append(UrlUtil.escapeUrlParam(value));
            }
        }
        SearchParameterMap search =
                matchUrls.translateMatchUrl(type + "?" + query, fhirContext.getResourceDefinition(type));
        IFhirResourceDao<?> dao = daos.getResourceDao(type);
        IBundleProvider matches = dao.search(search, system());
        long count = 0;
        for (int from = 0; ; from += PAGE) {
            List<IBaseResource> page = matches.getResources(from, from + PAGE);
            if (page.isEmpty()) {
                return count;
            }
            count += page.stream().filter(visible).count();
        }
    }

    private static SystemRequestDetails system() {
        return new SystemRequestDetails();
    }
}
