package health.vigil.server.storage;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.search.HapiHSearchAnalysisConfigurers;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import health.vigil.server.VigilServerProperties;
import jakarta.persistence.EntityManagerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.util.Version;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.search.backend.lucene.cfg.LuceneBackendSettings;
import org.hibernate.search.backend.lucene.cfg.LuceneIndexSettings;
import org.hibernate.search.engine.cfg.BackendSettings;
import org.hibernate.search.mapper.orm.cfg.HibernateOrmMapperSettings;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

/**
 * The relational store (embedded H2 by default, PostgreSQL by configuration), its schema migration, and
 * the JPA / Hibernate Search setup HAPI FHIR runs on.
 */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(VigilServerProperties properties) {
        VigilServerProperties.Database database = properties.database();
        String url = database.url().isBlank() ? embeddedH2Url(properties.dataDirectory()) : database.url();
        DatabaseKind kind = DatabaseKind.ofJdbcUrl(url);
        HikariConfig config = new HikariConfig();
        config.setPoolName("vigil-db");
        config.setJdbcUrl(url);
        config.setDriverClassName(kind.driverClassName());
        if (kind != DatabaseKind.H2) {
            config.setUsername(database.username());
            config.setPassword(database.password());
        }
        config.setMaximumPoolSize(database.maxPoolSize());
        return new HikariDataSource(config);
    }

    @Bean
    SchemaMigration schemaMigration(HikariDataSource dataSource) {
        return new SchemaMigration(dataSource, DatabaseKind.ofJdbcUrl(dataSource.getJdbcUrl()));
    }

    @Bean
    @Primary
    LocalContainerEntityManagerFactoryBean entityManagerFactory(
            ConfigurableListableBeanFactory beanFactory,
            FhirContext fhirContext,
            JpaStorageSettings storageSettings,
            HikariDataSource dataSource,
            SchemaMigration schemaMigration,
            VigilServerProperties properties) {
        LocalContainerEntityManagerFactoryBean factory =
                HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
        factory.setPersistenceUnitName("HAPI_PU");
        factory.setDataSource(dataSource);
        factory.getJpaPropertyMap()
                .putAll(jpaProperties(DatabaseKind.ofJdbcUrl(dataSource.getJdbcUrl()), properties.dataDirectory()));
        return factory;
    }

    @Bean
    @Primary
    JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
        return new JpaTransactionManager(entityManagerFactory);
    }

    static Map<String, Object> jpaProperties(DatabaseKind kind, Path dataDirectory) {
        Map<String, Object> jpa = new HashMap<>();
        jpa.put(AvailableSettings.DIALECT, kind.dialect());
        // The schema belongs to HAPI's migration tasks (SchemaMigration), never to Hibernate.
        jpa.put(AvailableSettings.HBM2DDL_AUTO, "none");
        jpa.put(AvailableSettings.SHOW_SQL, false);
        jpa.put(AvailableSettings.FORMAT_SQL, false);
        jpa.put(AvailableSettings.USE_SECOND_LEVEL_CACHE, false);
        jpa.put(AvailableSettings.USE_QUERY_CACHE, false);
        jpa.put(AvailableSettings.SCANNER, "org.hibernate.boot.archive.scan.internal.DisabledScanner");
        // Full-text search (_content, _text) on a local Lucene directory.
        jpa.put(HibernateOrmMapperSettings.ENABLED, true);
        jpa.put(BackendSettings.backendKey(BackendSettings.TYPE), LuceneBackendSettings.TYPE_NAME);
        jpa.put(BackendSettings.backendKey(LuceneIndexSettings.DIRECTORY_TYPE), "local-filesystem");
        jpa.put(
                BackendSettings.backendKey(LuceneIndexSettings.DIRECTORY_ROOT),
                ensureDirectory(dataDirectory.resolve("lucene")).toString());
        jpa.put(
                BackendSettings.backendKey(LuceneBackendSettings.ANALYSIS_CONFIGURER),
                HapiHSearchAnalysisConfigurers.HapiLuceneAnalysisConfigurer.class.getName());
        jpa.put(BackendSettings.backendKey(LuceneBackendSettings.LUCENE_VERSION), Version.LATEST.toString());
        return jpa;
    }

    /**
     * The embedded database. {@code WRITE_DELAY=0}: H2 writes every commit to its file at once; by
     * default it waits up to 500 ms, so a killed process lost commits it had already confirmed (the
     * audit crash test found answered requests without their audit record).
     */
    static String embeddedH2Url(Path dataDirectory) {
        Path database =
                ensureDirectory(dataDirectory.toAbsolutePath().normalize()).resolve("vigil");
        return "jdbc:h2:file:" + database + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    }

    private static Path ensureDirectory(Path directory) {
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "vigil.server.data-directory: cannot create " + directory.toAbsolutePath(), e);
        }
    }
}
