package health.vigil.ingestion.api;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

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
 * @param skipped records of kinds the format carries but Vigil does not store (an Apple Health export's
 *     workouts), counted by kind; neither stored nor problems
 */
public record IngestionPlan(
        FeedFormat format,
        List<Measurement> measurements,
        List<MeasurementProblem> problems,
        Bundle transaction,
        int observations,
        Map<String, Long> skipped) {

    public IngestionPlan {
        measurements = List.copyOf(measurements);
        problems = List.copyOf(problems);
        skipped = Collections.unmodifiableMap(new TreeMap<>(skipped));
    }

    /** A plan of a payload with nothing skipped. */
    public IngestionPlan(
            FeedFormat format,
            List<Measurement> measurements,
            List<MeasurementProblem> problems,
            Bundle transaction,
            int observations) {
        this(format, measurements, problems, transaction, observations, Map.of());
    }

    /** Whether every record of the payload can be stored. */
    public boolean complete() {
        return problems.isEmpty();
    }

    /** How many records were skipped, of every kind. */
    public long skippedCount() {
        return skipped.values().stream().mapToLong(Long::longValue).sum();
    }

    /** How many records cannot be stored (a record with several problems counts once). */
    public long rejected() {
        return problems.stream().map(MeasurementProblem::recordId).distinct().count();
    }

    /**
     * The report of the plan: a summary, an information issue per kind of skipped record, then one
     * issue per problem in feed order, {@code location} the
     * record's id, {@code details.text} the element and what is wrong with it, {@code diagnostics} both
     * after the stable code {@code VGL-1203}.
     *
     * @param severity of the problems' issues: {@code error} when the batch was refused for them, {@code
     *     warning} when the other records were stored anyway
     */
    public OperationOutcome report(IssueSeverity severity) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(IssueSeverity.INFORMATION)
                .setCode(IssueType.INFORMATIONAL)
                .setDiagnostics(measurements.size() + " measurements read as " + format.parameterName() + ", "
                        + observations + " Observations, " + problems.size() + " problems"
                        + (skipped.isEmpty() ? "" : ", " + skippedCount() + " records skipped"));
        skipped.forEach((kind, count) -> outcome.addIssue()
                .setSeverity(IssueSeverity.INFORMATION)
                .setCode(IssueType.INFORMATIONAL)
                .setDiagnostics("skipped " + count + " " + kind + " record" + (count == 1 ? "" : "s")
                        + ": Vigil stores no Observation for this kind"));
        for (MeasurementProblem problem : problems) {
            OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
                    .setSeverity(severity)
                    .setCode(IssueType.INVALID)
                    .setDiagnostics(IngestionErrors.INVALID_RECORDS.message(
                            "record " + problem.recordId() + ": " + problem.element() + ": " + problem.message()));
            issue.getDetails().setText(problem.element() + ": " + problem.message());
            if (problem.recordId() != null) {
                issue.addLocation(problem.recordId());
            }
        }
        return outcome;
    }
}
