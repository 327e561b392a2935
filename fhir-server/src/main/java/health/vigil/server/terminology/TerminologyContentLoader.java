package health.vigil.server.terminology;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.model.DaoMethodOutcome;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.jpa.term.api.ITermReadSvc;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.UriParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import health.vigil.terminology.api.Terminology;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MetadataResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the shipped terminology resources, each updated by its fixed id. Loading is idempotent: an
 * unchanged resource is not written again (HAPI suppresses updates that change nothing), so a restart or
 * a second node leaves every version as it was. A resource the deployment owns is never overwritten:
 * one already stored under the shipped canonical URL with another id, or one at the shipped id that is
 * not Vigil's (a full LOINC release loaded as {@code CodeSystem/loinc}).
 */
final class TerminologyContentLoader {

    private static final Logger LOG = LoggerFactory.getLogger(TerminologyContentLoader.class);

    /**
     * Nodes load one at a time ({@link LoadingLock}); should two still meet (a database without the
     * lock), the loser finds the resource stored and tries again.
     */
    private static final int ATTEMPTS = 3;

    /** What loading did with one shipped resource. */
    enum Result {
        CREATED,
        UPDATED,
        UNCHANGED,
        LEFT_ALONE
    }

    private final Terminology terminology;
    private final DaoRegistry daos;
    private final ITermReadSvc terms;

    TerminologyContentLoader(Terminology terminology, DaoRegistry daos, ITermReadSvc terms) {
        this.terminology = terminology;
        this.daos = daos;
        this.terms = terms;
    }

    /** Loads every shipped resource, in the order the content lists them; returns what each became. */
    List<Result> load() {
        List<Result> results =
                terminology.resources().stream().map(this::loadWithRetry).toList();
        // HAPI pre-expands stored ValueSets every ten minutes; until then $expand can neither filter nor
        // page. Expanding now does only what is pending (nothing after a restart that changed nothing).
        terms.preExpandDeferredValueSetsToTerminologyTables();
        LOG.info(
                "Terminology content: {} created, {} updated, {} unchanged, {} left alone",
                count(results, Result.CREATED),
                count(results, Result.UPDATED),
                count(results, Result.UNCHANGED),
                count(results, Result.LEFT_ALONE));
        return results;
    }

    private Result loadWithRetry(MetadataResource shipped) {
        for (int attempt = 1; ; attempt++) {
            try {
                return loadOne(shipped);
            } catch (ResourceVersionConflictException | UnprocessableEntityException e) {
                // A version conflict, or HAPI's refusal of a second resource with the same canonical URL
                // (HAPI-0840 and its kin): another node stored it first.
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                LOG.info("{} was written by another node meanwhile; loading it again", name(shipped));
            }
        }
    }

    private Result loadOne(MetadataResource shipped) {
        IFhirResourceDao<IBaseResource> dao = daos.getResourceDao(shipped.fhirType());
        String id = shipped.getIdElement().getIdPart();
        Optional<String> otherOwner = storedIdsOfUrl(dao, shipped.getUrl()).stream()
                .filter(storedId -> !storedId.equals(id))
                .findFirst();
        if (otherOwner.isPresent()) {
            LOG.info(
                    "{} {} is already stored as {}/{}; leaving that in place of the shipped one",
                    shipped.fhirType(),
                    shipped.getUrl(),
                    shipped.fhirType(),
                    otherOwner.get());
            return Result.LEFT_ALONE;
        }
        Optional<MetadataResource> stored = read(dao, id);
        if (stored.isPresent() && !Terminology.isShipped(stored.get(), shipped)) {
            LOG.info("{} is not Vigil's shipped content (a full release?); leaving it", name(shipped));
            return Result.LEFT_ALONE;
        }
        DaoMethodOutcome outcome = dao.update(shipped, new SystemRequestDetails());
        if (outcome.isNop()) {
            return Result.UNCHANGED;
        }
        Result result = stored.isPresent() ? Result.UPDATED : Result.CREATED;
        LOG.info(
                "{} {}, version {}",
                name(shipped),
                result.name().toLowerCase(),
                outcome.getId().getVersionIdPart());
        return result;
    }

    private static List<String> storedIdsOfUrl(IFhirResourceDao<IBaseResource> dao, String url) {
        SearchParameterMap byUrl = SearchParameterMap.newSynchronous("url", new UriParam(url));
        return dao.search(byUrl, new SystemRequestDetails()).getAllResources().stream()
                .map(resource -> resource.getIdElement().getIdPart())
                .toList();
    }

    private static Optional<MetadataResource> read(IFhirResourceDao<IBaseResource> dao, String id) {
        try {
            return Optional.of((MetadataResource) dao.read(new IdType(id), new SystemRequestDetails()));
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return Optional.empty();
        }
    }

    private static String name(MetadataResource resource) {
        return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
    }

    private static long count(List<Result> results, Result result) {
        return results.stream().filter(result::equals).count();
    }
}
