package health.vigil.ingestion.device;

/**
 * A rule of the Open mHealth format broken by one data point, at a path of it ({@code
 * body.heart_rate.unit}). It never leaves the adapter: the adapter turns it into the record's {@link
 * health.vigil.ingestion.api.MeasurementProblem}.
 */
final class InvalidDataPoint extends Exception {

    private final String path;

    InvalidDataPoint(String path, String message) {
        // Raised for each bad record of a feed, caught one frame up: a stack trace would only cost.
        super(message, null, false, false);
        this.path = path;
    }

    /** Where in the data point: {@code header.schema_id}, {@code body.effective_time_frame}, ... */
    String path() {
        return path;
    }
}
