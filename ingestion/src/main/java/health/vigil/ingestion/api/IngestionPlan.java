package health.vigil.ingestion.api;

import java.util.List;
import org.hl7.fhir.r4.model.Bundle;

/**
 * What a payload would store, worked out without writing anything.
 *
 * @param format the format the payload was read as
 * @param measurements the records that can be stored, with their patient resolved, in feed order
 * @param problems every record that cannot be stored, and why
 * @param transaction the FHIR transaction that stores {@code measurements} (PUTs with ids derived from
 *     content); {@code null} when no record can be stored
 * @param observations how many Observations {@code transaction} writes (a record sent twice in one
 *     payload is one Observation)
 */
public record IngestionPlan(
        FeedFormat format,
        List<Measurement> measurements,
        List<MeasurementProblem> problems,
        Bundle transaction,
        int observations) {

    public IngestionPlan {
        measurements = List.copyOf(measurements);
        problems = List.copyOf(problems);
    }

    /** Whether every record of the payload can be stored. */
    public boolean complete() {
        return problems.isEmpty();
    }
}
