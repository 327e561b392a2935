package health.vigil.server.terminology;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * One node loads at a time. On PostgreSQL, a session advisory lock held on its own connection while
 * the work runs (released at the end, or by PostgreSQL if the node dies); nodes that start together
 * then load one after the other, and the later ones find everything unchanged. H2 needs none: one
 * process opens its file at a time.
 */
final class LoadingLock {

    /** Vigil's key for terminology loading ("VGLTERMS"). */
    static final long TERMINOLOGY = 0x56474C5445524D53L;

    private LoadingLock() {}

    static <T> T whileHeld(DataSource dataSource, long key, Supplier<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            boolean postgres = "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
            if (!postgres) {
                return work.get();
            }
            execute(connection, "SELECT pg_advisory_lock(" + key + ")");
            try {
                return work.get();
            } finally {
                execute(connection, "SELECT pg_advisory_unlock(" + key + ")");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot take the database lock for loading terminology", e);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
