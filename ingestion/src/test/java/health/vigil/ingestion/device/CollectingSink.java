package health.vigil.ingestion.device;

import health.vigil.ingestion.api.Measurement;
import health.vigil.ingestion.api.MeasurementProblem;
import java.util.ArrayList;
import java.util.List;

/** A {@link FeedSink} that keeps what an adapter read, for tests. */
final class CollectingSink implements FeedSink {

    final List<Measurement> measurements = new ArrayList<>();
    final List<MeasurementProblem> problems = new ArrayList<>();

    @Override
    public void accept(Measurement measurement) {
        measurements.add(measurement);
    }

    @Override
    public void reject(MeasurementProblem problem) {
        problems.add(problem);
    }
}
