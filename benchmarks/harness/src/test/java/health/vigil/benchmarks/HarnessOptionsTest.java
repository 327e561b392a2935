package health.vigil.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HarnessOptionsTest {

    private static final String[] REQUIRED = {
        "--server-jar=server.jar",
        "--cohort=cohort/fhir",
        "--output=target/bench",
        "--vigil-database-url=jdbc:postgresql://127.0.0.1:5432/a",
        "--vanilla-database-url=jdbc:postgresql://127.0.0.1:5432/b"
    };

    @Test
    void parse_requiredOnly_usesDocumentedDefaults() {
        HarnessOptions options = HarnessOptions.parse(REQUIRED);

        assertThat(options.serverJar()).isEqualTo(Path.of("server.jar"));
        assertThat(options.clients()).isEqualTo(4);
        assertThat(options.runs()).isEqualTo(3);
        assertThat(options.ingestWarmupPercent()).isEqualTo(10);
        assertThat(options.startupRuns()).isEqualTo(3);
        assertThat(options.maxRunTime()).isEqualTo(Duration.ofSeconds(180));
        assertThat(options.serverJavaOptions()).isEmpty();
        assertThat(options.databaseUser()).isEqualTo("postgres");
    }

    @Test
    void parse_suite_baselineByDefault_privacyWhenAsked_elseRefused() {
        assertThat(HarnessOptions.parse(REQUIRED).suite()).isEqualTo(HarnessOptions.Suite.BASELINE);
        assertThat(HarnessOptions.parse(append("--suite=privacy")).suite()).isEqualTo(HarnessOptions.Suite.PRIVACY);
        assertThatThrownBy(() -> HarnessOptions.parse(append("--suite=fast")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--suite");
    }

    @Test
    void parse_ingestSuite_needsNeitherCohortNorSecondDatabase_andHasDocumentedDefaults() {
        HarnessOptions options = HarnessOptions.parse(
                "--suite=ingest",
                "--server-jar=server.jar",
                "--output=target/bench",
                "--vigil-database-url=jdbc:postgresql://127.0.0.1:5432/ingest");

        assertThat(options.suite()).isEqualTo(HarnessOptions.Suite.INGEST);
        assertThat(options.cohortDirectory()).isNull();
        assertThat(options.vanillaDatabaseUrl()).isNull();
        assertThat(options.ingestPatients()).isEqualTo(100);
        assertThat(options.ingestBatchSizes()).containsExactly(100, 1000);
        assertThat(options.ingestReadings()).isEqualTo(8000);
        assertThat(options.searchableSamples()).isEqualTo(200);
        assertThat(options.mqttBrokerUrl()).isEqualTo("tcp://127.0.0.1:1883");
    }

    @Test
    void parse_baselineWithoutCohort_fails() {
        assertThatThrownBy(() -> HarnessOptions.parse(
                        "--server-jar=server.jar",
                        "--output=target/bench",
                        "--vigil-database-url=jdbc:postgresql://127.0.0.1:5432/a",
                        "--vanilla-database-url=jdbc:postgresql://127.0.0.1:5432/b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--cohort");
    }

    @Test
    void parse_ingestBatchSizes_listOfPositiveIntegers() {
        assertThat(HarnessOptions.parse(append("--ingest-batch-sizes= 10, 500 ,2000"))
                        .ingestBatchSizes())
                .containsExactly(10, 500, 2000);
        assertThatThrownBy(() -> HarnessOptions.parse(append("--ingest-batch-sizes=100,many")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--ingest-batch-sizes");
        assertThatThrownBy(() -> HarnessOptions.parse(append("--ingest-batch-sizes=0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--ingest-batch-sizes");
    }

    @Test
    void parse_mqttBrokerUrlNotTcpOrSsl_fails() {
        assertThatThrownBy(() -> HarnessOptions.parse(append("--mqtt-broker-url=http://127.0.0.1:1883")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--mqtt-broker-url");
    }

    @Test
    void parse_serverJavaOptions_splitsOnWhitespace() {
        HarnessOptions options = HarnessOptions.parse(append("--server-java-options= -Xmx2g  -XX:+UseG1GC "));

        assertThat(options.serverJavaOptions()).containsExactly("-Xmx2g", "-XX:+UseG1GC");
    }

    @Test
    void parse_unknownOption_failsNamingIt() {
        assertThatThrownBy(() -> HarnessOptions.parse(append("--client=8")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--client");
    }

    @Test
    void parse_missingRequiredOption_fails() {
        assertThatThrownBy(() -> HarnessOptions.parse("--server-jar=server.jar"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Missing required option");
    }

    @Test
    void parse_sameDatabaseForBothServers_fails() {
        assertThatThrownBy(
                        () -> HarnessOptions.parse(append("--vanilla-database-url=jdbc:postgresql://127.0.0.1:5432/a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two different databases");
    }

    @Test
    void parse_zeroRuns_fails() {
        assertThatThrownBy(() -> HarnessOptions.parse(append("--runs=0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--runs");
    }

    private static String[] append(String option) {
        String[] args = Arrays.copyOf(REQUIRED, REQUIRED.length + 1);
        args[REQUIRED.length] = option;
        return args;
    }
}
