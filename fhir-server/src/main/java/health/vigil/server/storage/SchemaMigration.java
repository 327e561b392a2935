package health.vigil.server.storage;

import ca.uhn.fhir.jpa.migrate.HapiMigrator;
import ca.uhn.fhir.jpa.migrate.MigrationResult;
import ca.uhn.fhir.jpa.migrate.SchemaMigrator;
import ca.uhn.fhir.jpa.migrate.tasks.HapiFhirJpaMigrationTasks;
import ca.uhn.fhir.util.VersionEnum;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades the database schema with HAPI FHIR's own migration tasks, the same ones its
 * {@code migrate-database} command runs. Applied tasks are recorded in {@code FLY_HFJ_MIGRATION}, so
 * a restart changes nothing, and nodes starting together on an existing schema serialize on HAPI's lock
 * row. On a new, empty database start one node first: HAPI creates the migration table before it takes
 * the lock. Hibernate never creates or alters tables ({@code hibernate.hbm2ddl.auto=none}).
 */
final class SchemaMigration {

    private static final Logger log = LoggerFactory.getLogger(SchemaMigration.class);

    private final MigrationResult result;

    SchemaMigration(DataSource dataSource, DatabaseKind kind) {
        HapiMigrator migrator =
                new HapiMigrator(SchemaMigrator.HAPI_FHIR_MIGRATION_TABLENAME, dataSource, kind.migrationDriver());
        migrator.addTasks(new HapiFhirJpaMigrationTasks(Set.of()).getAllTasks(VersionEnum.values()));
        migrator.createMigrationTableIfRequired();
        long start = System.nanoTime();
        this.result = migrator.migrate();
        log.info(
                "Database schema ready on {}: {} migration tasks applied in {} ms",
                kind,
                result.succeededTasks.size(),
                (System.nanoTime() - start) / 1_000_000);
    }

    MigrationResult result() {
        return result;
    }
}
