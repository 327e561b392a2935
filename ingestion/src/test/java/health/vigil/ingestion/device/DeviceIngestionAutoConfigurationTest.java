package health.vigil.ingestion.device;

import static org.assertj.core.api.Assertions.assertThat;

import health.vigil.ingestion.api.DeviceIngestion;
import health.vigil.terminology.TerminologyAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class DeviceIngestionAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(TerminologyAutoConfiguration.class, DeviceIngestionAutoConfiguration.class));

    @Test
    void defaults_contributeDeviceIngestion() {
        runner.run(context -> assertThat(context).hasSingleBean(DeviceIngestion.class));
    }

    @Test
    void disabled_contributesNothing() {
        runner.withPropertyValues("vigil.ingestion.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(DeviceIngestion.class));
    }

    @Test
    void templates_validFiles_areRead() {
        runner.withPropertyValues("vigil.ingestion.templates=classpath:templates/acme-v*.json")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(DeviceIngestion.class));
    }

    @Test
    void templates_missingOrBroken_stopTheStart() {
        runner.withPropertyValues("vigil.ingestion.templates=classpath:templates/none.json")
                .run(context -> assertThat(context)
                        .getFailure()
                        .hasRootCauseMessage(
                                "vigil.ingestion.templates: nothing found at classpath:templates/none.json"));
        // A file of messages is not a template file: the server does not start with it.
        runner.withPropertyValues("vigil.ingestion.templates=classpath:templates/acme-messages.json")
                .run(context -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining("VGL-1204: device templates")
                        .hasMessageContaining("must be a template object"));
    }
}
