package health.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import health.vigil.ingestion.api.IngestionErrors;
import health.vigil.interceptors.api.InterceptorErrors;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class VigilErrorsTest {

    @Test
    void codes_areUniqueAndWellFormed_acrossModules() {
        Stream<String> server = Arrays.stream(VigilErrors.values()).map(VigilErrors::code);
        Stream<String> interceptors = Arrays.stream(InterceptorErrors.values()).map(InterceptorErrors::code);
        Stream<String> ingestion = Arrays.stream(IngestionErrors.values()).map(IngestionErrors::code);

        assertThat(Stream.of(server, interceptors, ingestion).flatMap(codes -> codes))
                .doesNotHaveDuplicates()
                .allMatch(code -> code.matches("VGL-\\d{4}"));
    }

    @Test
    void message_startsWithTheCode() {
        assertThat(VigilErrors.PAYLOAD_TOO_LARGE.message("too big")).isEqualTo("VGL-1001: too big");
        assertThat(InterceptorErrors.SCOPE_DENIED.message("no")).isEqualTo("VGL-1101: no");
    }
}
