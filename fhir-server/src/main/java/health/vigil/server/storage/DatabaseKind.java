package health.vigil.server.storage;

import ca.uhn.fhir.jpa.migrate.DriverTypeEnum;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect;

/** The databases Vigil runs on, each with HAPI's dialect and migration driver for it. */
enum DatabaseKind {
    H2(HapiFhirH2Dialect.class.getName(), DriverTypeEnum.H2_EMBEDDED, "org.h2.Driver"),
    POSTGRES(HapiFhirPostgresDialect.class.getName(), DriverTypeEnum.POSTGRES_9_4, "org.postgresql.Driver"),
    /** PostgreSQL in a container started by Testcontainers' JDBC driver (tests, where Docker runs). */
    TESTCONTAINERS_POSTGRES(
            HapiFhirPostgresDialect.class.getName(),
            DriverTypeEnum.POSTGRES_9_4,
            "org.testcontainers.jdbc.ContainerDatabaseDriver");

    private final String dialect;
    private final DriverTypeEnum migrationDriver;
    private final String driverClassName;

    DatabaseKind(String dialect, DriverTypeEnum migrationDriver, String driverClassName) {
        this.dialect = dialect;
        this.migrationDriver = migrationDriver;
        this.driverClassName = driverClassName;
    }

    static DatabaseKind ofJdbcUrl(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRES;
        }
        if (url.startsWith("jdbc:tc:postgresql:")) {
            return TESTCONTAINERS_POSTGRES;
        }
        if (url.startsWith("jdbc:h2:")) {
            return H2;
        }
        throw new IllegalArgumentException("Unsupported JDBC URL (use jdbc:h2: or jdbc:postgresql:): " + url);
    }

    String dialect() {
        return dialect;
    }

    DriverTypeEnum migrationDriver() {
        return migrationDriver;
    }

    String driverClassName() {
        return driverClassName;
    }
}
