package health.vigil.ingestion.device;

import health.vigil.ingestion.api.Measurement;
import health.vigil.ingestion.api.MeasurementProblem;

/** Where a {@link FeedAdapter} puts each record it reads. */
interface FeedSink {

    /** A record read into a measurement. */
    void accept(Measurement measurement);

    /** A record that cannot become a measurement, and why. */
    void reject(MeasurementProblem problem);

    /**
     * A well-formed record of a kind the format carries but Vigil does not store (an Apple Health
     * workout, a sleep analysis): neither a measurement nor a problem, only counted.
     *
     * @param kind the record's type as the feed names it ({@code HKQuantityTypeIdentifierActiveEnergyBurned})
     */
    void skip(String kind);
}
