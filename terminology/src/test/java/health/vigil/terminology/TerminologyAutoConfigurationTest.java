package health.vigil.terminology;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import health.vigil.terminology.api.Terminology;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class TerminologyAutoConfigurationTest {

    private final ApplicationContextRunner context =
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TerminologyAutoConfiguration.class));

    @Test
    void byDefault_contributesTheShippedTerminologyAndItsSettings() {
        context.run(started -> {
            assertThat(started).hasSingleBean(Terminology.class);
            assertThat(started.getBean(Terminology.class).analytes().byCode("2345-7"))
                    .isPresent();
            assertThat(started.getBean(TerminologyProperties.class).loadContent())
                    .isTrue();
        });
    }

    @Test
    void withTheApplicationsFhirContext_loads() {
        context.withBean(FhirContext.class, FhirContext::forR4)
                .run(started -> assertThat(started).hasSingleBean(Terminology.class));
    }

    @Test
    void disabled_contributesNothing() {
        context.withPropertyValues("vigil.terminology.enabled=false")
                .run(started -> assertThat(started).doesNotHaveBean(Terminology.class));
    }

    @Test
    void loadContentOff_isBound() {
        context.withPropertyValues("vigil.terminology.load-content=false").run(started -> assertThat(
                        started.getBean(TerminologyProperties.class).loadContent())
                .isFalse());
    }
}
