package health.vigil.server.documents;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;

/** Reads the resources of an uploaded document as the server. */
final class DocumentStore {

    private DocumentStore() {}

    /** The resource; absent when it never existed or is deleted. */
    static <T extends IBaseResource> Optional<T> read(DaoRegistry daos, Class<T> type, String id) {
        try {
            return Optional.of(daos.getResourceDao(type)
                    .read(new IdType(daos.getFhirContext().getResourceType(type), id), new SystemRequestDetails()));
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return Optional.empty();
        }
    }
}
