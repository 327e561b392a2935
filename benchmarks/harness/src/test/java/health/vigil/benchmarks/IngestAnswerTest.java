package health.vigil.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IngestAnswerTest {

    @Test
    void read_compactAnswer_readsTheCounts() {
        String body =
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"format\",\"valueString\":\"template-json\"},"
                        + "{\"name\":\"measurements\",\"valueInteger\":100},{\"name\":\"observations\",\"valueInteger\":99},"
                        + "{\"name\":\"rejected\",\"valueInteger\":1},{\"name\":\"result\",\"resource\":{\"resourceType\":\"Bundle\"}}]}";

        assertThat(IngestAnswer.read(body)).contains(new IngestAnswer(99, 1));
    }

    @Test
    void read_prettyPrintedAnswer_readsTheCounts() {
        String body =
                """
                {
                  "resourceType": "Parameters",
                  "parameter": [ {
                    "name": "observations",
                    "valueInteger": 1000
                  }, {
                    "name": "rejected",
                    "valueInteger": 0
                  } ]
                }
                """;

        assertThat(IngestAnswer.read(body)).contains(new IngestAnswer(1000, 0));
    }

    @Test
    void read_noObservationsParameter_isEmpty() {
        assertThat(IngestAnswer.read("{\"resourceType\":\"OperationOutcome\"}")).isEmpty();
    }
}
