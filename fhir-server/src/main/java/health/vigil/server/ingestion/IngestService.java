package health.vigil.server.ingestion;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import health.vigil.ingestion.api.DeviceIngestion;
import health.vigil.ingestion.api.FeedMessage;
import health.vigil.ingestion.api.FeedStore;
import health.vigil.ingestion.api.IngestionPlan;
import health.vigil.ingestion.api.IngestionRequest;
import health.vigil.ingestion.api.TransientFeedException;
import health.vigil.server.validation.Prevalidated;
import java.sql.SQLTransientException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Plans payloads with {@link DeviceIngestion} against stored patients and devices, and writes plans as
 * the server: the one path by which {@code $ingest} and the MQTT subscriber store feeds.
 */
final class IngestService implements FeedStore {

    private final DeviceIngestion ingestion;
    private final JpaPatientDirectory directory;
    private final IFhirSystemDao<Bundle, Meta> systemDao;
    private final String fhirBase;

    IngestService(
            DeviceIngestion ingestion, DaoRegistry daos, IFhirSystemDao<Bundle, Meta> systemDao, String fhirBase) {
        this.ingestion = ingestion;
        this.directory = new JpaPatientDirectory(daos);
        this.systemDao = systemDao;
        this.fhirBase = fhirBase;
    }

    /** Whether a patient with this id is stored. */
    boolean patientExists(String patientId) {
        return directory.exists(patientId);
    }

    /** What a payload would store; writes nothing. */
    IngestionPlan plan(IngestionRequest request) {
        return ingestion.plan(request, directory);
    }

    /** Writes a plan's transaction (if it has one) and answers the transaction response, else null. */
    Bundle write(IngestionPlan plan) {
        // The mapper's Observations conform to the vital-signs profiles by construction (its tests
        // validate them); validating each again would cost most of the write.
        return plan.transaction() == null
                ? null
                : systemDao.transaction(Prevalidated.systemRequest(), plan.transaction());
    }

    @Override
    public Stored store(FeedMessage message) {
        IngestionPlan plan = plan(new IngestionRequest(
                message.payload(), null, message.format(), message.patientId(), null, null, fhirBase));
        if (!plan.complete() && !message.partial()) {
            return new Stored(plan, false);
        }
        try {
            write(plan);
            return new Stored(plan, true);
        } catch (TransientDataAccessException
                | DataAccessResourceFailureException
                | CannotCreateTransactionException
                | ResourceVersionConflictException e) {
            throw new TransientFeedException("storage unavailable: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (hasCause(e, SQLTransientException.class)) {
                throw new TransientFeedException("storage unavailable: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
