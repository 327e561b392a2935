package health.vigil.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The database the integration tests run on, chosen by the {@code vigil.it.database} system property
 * ({@code h2}, the default, or {@code postgres}).
 *
 * <p>For PostgreSQL, {@code VIGIL_IT_POSTGRES_URL} names the server (for example
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres}; user {@code VIGIL_IT_POSTGRES_USER}, default
 * {@code postgres}, password {@code VIGIL_IT_POSTGRES_PASSWORD}). Each run creates a fresh database
 * {@code vigil_it_<epoch seconds>_<random>} there and drops those earlier runs left that are more than
 * a day old. A {@code jdbc:tc:} URL is
 * used as it is (Testcontainers, where Docker runs). When PostgreSQL was asked for and cannot be
 * reached, the tests fail with a message saying so; they never silently fall back to H2.
 */
final class ItDatabase {

    static final String DATABASE_PROPERTY = "vigil.it.database";
    static final String POSTGRES_URL_ENV = "VIGIL_IT_POSTGRES_URL";

    private static final Pattern RUN_DATABASE = Pattern.compile("vigil_it_(\\d+)_[0-9a-f]{8}");

    private static Map<String, String> properties;

    private ItDatabase() {}

    static synchronized Map<String, String> serverProperties() {
        if (properties == null) {
            properties = create();
        }
        return properties;
    }

    /**
     * Whether this build runs the integration tests on both databases (the PostgreSQL run is configured),
     * so that a test may spread a large corpus over the two runs instead of repeating it.
     */
    static boolean bothRuns() {
        String url = System.getenv(POSTGRES_URL_ENV);
        return url != null && !url.isBlank();
    }

    /**
     * Whether this run takes an item of a corpus spread over both runs: every item in a run on one
     * database alone; otherwise one half on H2, the other on PostgreSQL, by the item's key.
     */
    static boolean takes(String key) {
        return !bothRuns() || (Math.floorMod(key.hashCode(), 2) == 0) != isPostgres();
    }

    static boolean isPostgres() {
        return "postgres".equals(System.getProperty(DATABASE_PROPERTY, "h2"));
    }

    /**
     * Settings for a second, separate server (a child process a test starts): its own data directory
     * and, on PostgreSQL, its own fresh database on the same PostgreSQL server.
     */
    static Map<String, String> separateServerProperties() {
        serverProperties();
        return create();
    }

    private static Map<String, String> create() {
        Map<String, String> result = new LinkedHashMap<>();
        result.put("vigil.server.data-directory", newDataDirectory().toString());
        if (isPostgres()) {
            result.putAll(postgres());
        } else if (!"h2".equals(System.getProperty(DATABASE_PROPERTY, "h2"))) {
            throw new IllegalStateException(
                    DATABASE_PROPERTY + " must be h2 or postgres, was " + System.getProperty(DATABASE_PROPERTY));
        }
        return result;
    }

    private static Map<String, String> postgres() {
        String url = System.getenv(POSTGRES_URL_ENV);
        if (url == null || url.isBlank()) {
            throw new IllegalStateException(
                    "The integration tests were asked to run on PostgreSQL (" + DATABASE_PROPERTY + "=postgres) but "
                            + POSTGRES_URL_ENV + " is not set. Set it to a jdbc:postgresql:// URL.");
        }
        String user = envOrDefault("VIGIL_IT_POSTGRES_USER", "postgres");
        String password = envOrDefault("VIGIL_IT_POSTGRES_PASSWORD", "");
        if (url.startsWith("jdbc:tc:")) {
            return Map.of("vigil.server.database.url", url);
        }
        String database =
                "vigil_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = DriverManager.getConnection(url, user, password);
                Statement statement = admin.createStatement()) {
            if (properties == null) {
                // Only before this JVM's first database: later ones (a child server's) must not drop it.
                dropLeftovers(statement);
            }
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "The integration tests were asked to run on PostgreSQL but " + POSTGRES_URL_ENV + "=" + url
                            + " (user " + user + ") is not reachable: " + e.getMessage(),
                    e);
        }
        return Map.of(
                "vigil.server.database.url", withDatabase(url, database),
                "vigil.server.database.username", user,
                "vigil.server.database.password", password);
    }

    private static void dropLeftovers(Statement statement) throws SQLException {
        List<String> leftovers = new ArrayList<>();
        try (ResultSet rows =
                statement.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'vigil_it_%'")) {
            while (rows.next()) {
                leftovers.add(rows.getString(1));
            }
        }
        for (String leftover : leftovers) {
            statement.execute("DROP DATABASE IF EXISTS " + leftover + " WITH (FORCE)");
        }
    }

    /** Replaces the database name in a jdbc:postgresql://host:port/name?params URL. */
    static String withDatabase(String url, String database) {
        String prefix = "jdbc:postgresql://";
        int slash = url.indexOf('/', prefix.length());
        int query = url.indexOf('?');
        String params = query < 0 ? "" : url.substring(query);
        String hostPort = slash < 0
                ? url.substring(prefix.length(), query < 0 ? url.length() : query)
                : url.substring(prefix.length(), slash);
        return prefix + hostPort + "/" + database + params;
    }

    private static String envOrDefault(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static Path newDataDirectory() {
        try {
            Path base = Path.of(System.getProperty("java.io.tmpdir"));
            return Files.createTempDirectory(base, "vigil-it-data-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
