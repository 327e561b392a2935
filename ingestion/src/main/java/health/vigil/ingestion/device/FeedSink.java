package health.vigil.ingestion.device;

import health.vigil.ingestion.api.Measurement;
import health.vigil.ingestion.api.MeasurementProblem;

/** Where a {@link FeedAdapter} puts each record it reads. */
interface FeedSink {

    /** A record read into a measurement. */
    void accept(Measurement measurement);

    /** A record that cannot become a measurement, and why. */
    void reject(MeasurementProblem problem);
}
