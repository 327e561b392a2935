package health.vigil.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.jpa.migrate.DriverTypeEnum;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DatabaseKindTest {

    @Test
    void ofJdbcUrl_postgres_hapiPostgresDialectAndMigrationDriver() {
        DatabaseKind kind = DatabaseKind.ofJdbcUrl("jdbc:postgresql://127.0.0.1:5432/vigil");

        assertThat(kind).isEqualTo(DatabaseKind.POSTGRES);
        assertThat(kind.dialect()).isEqualTo("ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect");
        assertThat(kind.migrationDriver()).isEqualTo(DriverTypeEnum.POSTGRES_9_4);
    }

    @Test
    void ofJdbcUrl_embeddedDefault_h2FileDatabaseInDataDirectory(@org.junit.jupiter.api.io.TempDir Path dataDirectory) {
        String url = StorageConfiguration.embeddedH2Url(dataDirectory);

        assertThat(url).startsWith("jdbc:h2:file:" + dataDirectory.toAbsolutePath());
        assertThat(DatabaseKind.ofJdbcUrl(url)).isEqualTo(DatabaseKind.H2);
    }

    @Test
    void ofJdbcUrl_otherDatabase_rejected() {
        assertThatThrownBy(() -> DatabaseKind.ofJdbcUrl("jdbc:mysql://localhost/vigil"))
                .hasMessageContaining("jdbc:mysql");
    }
}
