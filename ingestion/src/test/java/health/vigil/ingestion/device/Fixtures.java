package health.vigil.ingestion.device;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Test fixtures from {@code src/test/resources}. */
final class Fixtures {

    private Fixtures() {}

    /** The bytes of a classpath resource, e.g. {@code /templates/acme-vitals.json}. */
    static byte[] bytes(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
