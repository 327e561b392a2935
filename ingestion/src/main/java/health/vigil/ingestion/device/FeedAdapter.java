package health.vigil.ingestion.device;

import health.vigil.ingestion.api.FeedFormat;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads one payload of a feed format into normalized {@link health.vigil.ingestion.api.Measurement}s.
 *
 * <p>Contract: every record of the payload ends as exactly one call on the sink: {@link
 * FeedSink#accept}, {@link FeedSink#reject} (a record the adapter cannot read: unknown type, missing
 * timestamp, a value that is not a number, a rule of the format broken) or, for formats whose payloads
 * mix what Vigil stores with much it does not (an Apple Health export's workouts and nutrition), {@link
 * FeedSink#skip}. A payload that cannot be read
 * at all (not JSON, truncated XML) throws {@link health.vigil.ingestion.api.FeedException} with {@code
 * MALFORMED_PAYLOAD}; records already passed to the sink are then discarded by the caller.
 *
 * <p>Adapters leave {@code patientId} {@code null} (the pipeline resolves it) and fill {@code
 * patientIdentifier} when the feed names the patient. They do not check plausibility or units against
 * the terminology: the mapper does that for every format alike. {@code source} and {@code recordId}
 * must be stable: the same record read again gives the same pair.
 *
 * <p>Adapters are stateless and thread-safe; they stream, so a payload of any size is read in memory
 * bounded by one record.
 */
interface FeedAdapter {

    FeedFormat format();

    void read(InputStream payload, FeedSink sink) throws IOException;
}
