package health.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class VigilErrorsTest {

    @Test
    void codes_areUniqueAndWellFormed() {
        assertThat(Arrays.stream(VigilErrors.values()).map(VigilErrors::code))
                .doesNotHaveDuplicates()
                .allMatch(code -> code.matches("VGL-\\d{4}"));
    }

    @Test
    void message_startsWithTheCode() {
        assertThat(VigilErrors.PAYLOAD_TOO_LARGE.message("too big")).isEqualTo("VGL-1001: too big");
    }
}
