package health.vigil.ingestion.api;

/**
 * Why a measurement cannot be stored; reported per record, never thrown.
 *
 * @param recordId the record's id within its source ({@code null} if the record had none)
 * @param element what is wrong: {@code code}, {@code value}, {@code unit}, {@code start}, {@code patientId}
 * @param message what is wrong with it, for the person who sent the feed
 */
public record MeasurementProblem(String recordId, String element, String message) {}
