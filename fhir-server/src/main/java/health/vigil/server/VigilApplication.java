package health.vigil.server;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.jpa.subscription.match.config.SubscriptionProcessorConfig;
import ca.uhn.fhir.jpa.subscription.submit.config.SubscriptionSubmitterConfig;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.data.jpa.JpaRepositoriesAutoConfiguration;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchClientAutoConfiguration;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.autoconfigure.thymeleaf.ThymeleafAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/**
 * Vigil: a FHIR R4 server on HAPI FHIR JPA. The HAPI configuration classes imported here provide the
 * JPA storage layer, Batch2 jobs (bulk export, reindex) and subscription processing; the Vigil
 * configuration classes in this package tree provide storage, the REST endpoint and Vigil's own
 * interceptors.
 */
@SpringBootApplication(
        exclude = {
            // HAPI builds its own EntityManagerFactory and repositories (StorageConfiguration, JpaConfig).
            HibernateJpaAutoConfiguration.class,
            JpaRepositoriesAutoConfiguration.class,
            // HAPI's migration tasks own the schema (SchemaMigration); Flyway is only their engine.
            FlywayAutoConfiguration.class,
            // On the classpath through HAPI, but not used unless configured.
            ElasticsearchClientAutoConfiguration.class,
            ElasticsearchRestClientAutoConfiguration.class,
            ThymeleafAutoConfiguration.class,
            // Users are the identity provider's business: no in-memory user with a generated password.
            UserDetailsServiceAutoConfiguration.class
        })
@ConfigurationPropertiesScan
@Import({
    JpaR4Config.class,
    HapiJpaConfig.class,
    ThreadPoolFactoryConfig.class,
    JpaBatch2Config.class,
    Batch2JobsConfig.class,
    SubscriptionSubmitterConfig.class,
    SubscriptionProcessorConfig.class,
    SubscriptionChannelConfig.class
})
public class VigilApplication {

    public static void main(String[] args) {
        SpringApplication.run(VigilApplication.class, args);
    }
}
