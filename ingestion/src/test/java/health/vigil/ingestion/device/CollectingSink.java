package health.vigil.ingestion.device;

import health.vigil.ingestion.api.Measurement;
import health.vigil.ingestion.api.MeasurementProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A {@link FeedSink} that keeps what an adapter read, for tests. */
final class CollectingSink implements FeedSink {

    final List<Measurement> measurements = new ArrayList<>();
    final List<MeasurementProblem> problems = new ArrayList<>();
    final Map<String, Long> skipped = new TreeMap<>();

    @Override
    public void accept(Measurement measurement) {
        measurements.add(measurement);
    }

    @Override
    public void reject(MeasurementProblem problem) {
        problems.add(problem);
    }

    @Override
    public void skip(String kind) {
        skipped.merge(kind, 1L, Long::sum);
    }
}
