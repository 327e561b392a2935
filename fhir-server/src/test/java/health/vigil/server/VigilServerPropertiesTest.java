package health.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

/** The server's configuration: defaults that run with no setup, and bad values named at start. */
class VigilServerPropertiesTest {

    @Test
    void bind_noSettings_embeddedDefaults() {
        VigilServerProperties properties = bind(Map.of());

        assertThat(properties.dataDirectory()).isEqualTo(java.nio.file.Path.of("data"));
        assertThat(properties.database().url()).isEmpty();
        assertThat(properties.database().maxPoolSize()).isEqualTo(10);
        assertThat(properties.paging().defaultPageSize()).isEqualTo(20);
        assertThat(properties.paging().maxPageSize()).isEqualTo(500);
        assertThat(properties.limits().maxRequestSize().toMegabytes()).isEqualTo(32);
        assertThat(properties.limits().maxBundleEntries()).isEqualTo(10000);
        assertThat(properties.validation().vitalSigns()).isTrue();
        assertThat(properties.tuning()).isEqualTo(VigilServerProperties.Tuning.VIGIL);
        assertThat(properties.jobs().maintenanceInterval()).hasSeconds(10);
    }

    @Test
    void bind_postgresUrl_accepted() {
        VigilServerProperties properties =
                bind(Map.of("vigil.server.database.url", "jdbc:postgresql://127.0.0.1:5432/vigil"));

        assertThat(properties.database().url()).startsWith("jdbc:postgresql:");
    }

    @Test
    void bind_unsupportedDatabaseUrl_failureNamesTheSetting() {
        assertThatThrownBy(() -> bind(Map.of("vigil.server.database.url", "jdbc:mysql://localhost/vigil")))
                .isInstanceOf(BindException.class)
                .hasStackTraceContaining("vigil.server.database.url");
    }

    @Test
    void bind_defaultPageLargerThanMaximum_failureNamesBothSettings() {
        assertThatThrownBy(() -> bind(Map.of(
                        "vigil.server.paging.default-page-size", "600", "vigil.server.paging.max-page-size", "100")))
                .hasStackTraceContaining("vigil.server.paging.default-page-size")
                .hasStackTraceContaining("vigil.server.paging.max-page-size");
    }

    @Test
    void bind_zeroPoolSize_failureNamesTheSetting() {
        assertThatThrownBy(() -> bind(Map.of("vigil.server.database.max-pool-size", "0")))
                .isInstanceOf(BindException.class)
                .hasStackTraceContaining("database.maxPoolSize")
                .hasStackTraceContaining("rejected value [0]");
    }

    @Test
    void bind_subSecondJobInterval_failureNamesTheSetting() {
        assertThatThrownBy(() -> bind(Map.of("vigil.server.jobs.maintenance-interval", "100ms")))
                .hasStackTraceContaining("vigil.server.jobs.maintenance-interval");
    }

    @Test
    void bind_unknownTuning_failureNamesTheSetting() {
        assertThatThrownBy(() -> bind(Map.of("vigil.server.tuning", "TURBO")))
                .isInstanceOf(BindException.class)
                .hasMessageContaining("vigil.server.tuning");
    }

    private static VigilServerProperties bind(Map<String, String> settings) {
        LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean();
        validator.afterPropertiesSet();
        Binder binder = new Binder(new MapConfigurationPropertySource(settings));
        return binder.bindOrCreate(
                "vigil.server",
                org.springframework.boot.context.properties.bind.Bindable.of(VigilServerProperties.class),
                new ValidationBindHandler(validator));
    }
}
