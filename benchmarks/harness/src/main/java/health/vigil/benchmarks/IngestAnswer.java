package health.vigil.benchmarks;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The counts of a {@code $ingest} answer (a {@code Parameters}): how many Observations were written and
 * how many records were rejected.
 *
 * <p>Read with a pattern rather than a JSON parser: the answer also carries the whole transaction
 * response (one entry per resource written), and the clients should not spend the machine's CPU parsing
 * it while the server is measured. The counts come first in the answer.
 *
 * @param observations the {@code observations} parameter
 * @param rejected the {@code rejected} parameter
 */
record IngestAnswer(int observations, int rejected) {

    private static final Pattern OBSERVATIONS = count("observations");
    private static final Pattern REJECTED = count("rejected");

    /** The counts, or empty when the answer has no {@code observations} parameter. */
    static Optional<IngestAnswer> read(String body) {
        Matcher observations = OBSERVATIONS.matcher(body);
        if (!observations.find()) {
            return Optional.empty();
        }
        Matcher rejected = REJECTED.matcher(body);
        return Optional.of(new IngestAnswer(
                Integer.parseInt(observations.group(1)), rejected.find() ? Integer.parseInt(rejected.group(1)) : 0));
    }

    private static Pattern count(String name) {
        return Pattern.compile("\"name\"\\s*:\\s*\"" + name + "\"\\s*,\\s*\"valueInteger\"\\s*:\\s*(\\d+)");
    }
}
