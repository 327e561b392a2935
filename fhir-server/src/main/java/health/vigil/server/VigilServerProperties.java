package health.vigil.server;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the Vigil FHIR server ({@code vigil.server.*}). Every value has a default that runs the
 * server with no setup: an embedded H2 database and Lucene index under {@code ./data}.
 *
 * @param dataDirectory where the embedded H2 database and the Lucene full-text index live
 *     (default {@code ./data}, relative to the working directory)
 * @param database the relational database; with no URL, the embedded H2 file database
 * @param paging page sizes for search results
 * @param limits limits on what one request may carry
 * @param validation validation applied when resources are written
 * @param jobs HAPI's batch jobs (bulk export, reindex)
 * @param tuning {@code VIGIL} (default) applies Vigil's storage tuning; {@code HAPI_DEFAULTS} runs
 *     HAPI FHIR's default {@code JpaStorageSettings}, as the benchmarks' "vanilla HAPI" baseline
 */
@Validated
@ConfigurationProperties(prefix = "vigil.server")
public record VigilServerProperties(
        @NotNull @DefaultValue("./data") Path dataDirectory,
        @NotNull @Valid @DefaultValue Database database,
        @NotNull @Valid @DefaultValue Paging paging,
        @NotNull @Valid @DefaultValue Limits limits,
        @NotNull @Valid @DefaultValue Validation validation,
        @NotNull @Valid @DefaultValue Jobs jobs,
        @NotNull @DefaultValue("VIGIL") Tuning tuning) {

    /**
     * @param url JDBC URL: empty (default) for the embedded H2 file database in {@code data-directory},
     *     or {@code jdbc:postgresql://host:port/db} for PostgreSQL 15+
     * @param username database user (PostgreSQL); ignored for the embedded H2 database
     * @param password database password (PostgreSQL); ignored for the embedded H2 database
     * @param maxPoolSize maximum JDBC connections (default 10)
     */
    public record Database(
            @DefaultValue("") String url,
            @DefaultValue("") String username,
            @DefaultValue("") String password,
            @Min(2) @Max(200) @DefaultValue("10") int maxPoolSize) {

        public Database {
            if (!url.isBlank()
                    && !url.startsWith("jdbc:postgresql:")
                    && !url.startsWith("jdbc:tc:postgresql:")
                    && !url.startsWith("jdbc:h2:")) {
                throw new IllegalArgumentException("vigil.server.database.url must be empty (embedded H2), "
                        + "a jdbc:postgresql: URL or a jdbc:h2: URL, but was '" + url + "'");
            }
        }
    }

    /**
     * @param defaultPageSize results per page when the client gives no {@code _count} (default 20)
     * @param maxPageSize the largest {@code _count} honoured (default 500)
     */
    public record Paging(
            @Min(1) @DefaultValue("20") int defaultPageSize, @Min(1) @Max(5000) @DefaultValue("500") int maxPageSize) {

        public Paging {
            if (defaultPageSize > maxPageSize) {
                throw new IllegalArgumentException("vigil.server.paging.default-page-size (" + defaultPageSize
                        + ") must not exceed vigil.server.paging.max-page-size (" + maxPageSize + ")");
            }
        }
    }

    /**
     * @param maxRequestSize largest request body accepted under {@code /fhir} (default 32MB); larger
     *     requests get 413 with an OperationOutcome
     * @param maxBundleEntries most entries in one transaction Bundle (default 10000); larger
     *     transactions are refused with 413 before anything is stored
     */
    public record Limits(
            @NotNull @DefaultValue("32MB") DataSize maxRequestSize,
            @Min(1) @DefaultValue("10000") int maxBundleEntries) {}

    /**
     * @param vitalSigns validate Observations in category vital-signs against the FHIR R4 vital-signs
     *     profiles on create and update (default true); invalid ones are rejected with 422
     */
    public record Validation(@DefaultValue("true") boolean vitalSigns) {}

    /**
     * @param maintenanceInterval how often batch jobs (bulk export, reindex) advance to their next step
     *     (default 10s; HAPI's own default is one minute); at least 1s
     */
    public record Jobs(@NotNull @DefaultValue("10s") Duration maintenanceInterval) {

        public Jobs {
            if (maintenanceInterval.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException(
                        "vigil.server.jobs.maintenance-interval must be at least 1s, was " + maintenanceInterval);
            }
        }
    }

    /** Which storage tuning the server runs with. */
    public enum Tuning {
        /** Vigil's tuning, documented in docs/configuration.md. */
        VIGIL,
        /** HAPI FHIR's defaults, for side-by-side benchmarks. */
        HAPI_DEFAULTS
    }
}
