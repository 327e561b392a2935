package health.vigil.ingestion;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Ingestion settings, {@code vigil.ingestion.*}.
 *
 * @param enabled whether device feeds can be ingested ({@code $ingest}); default {@code true}
 * @param templates where the device templates for JSON messages are: Spring resource locations, with
 *     wildcards ({@code file:/etc/vigil/templates/*.json}, {@code classpath:templates/acme.json}); every
 *     file is validated at start and the server does not start with a broken one. Default: none, so
 *     JSON device messages need templates sent with the request
 */
@ConfigurationProperties("vigil.ingestion")
public record IngestionProperties(@DefaultValue("true") boolean enabled, @DefaultValue List<String> templates) {

    public IngestionProperties {
        templates = List.copyOf(templates);
    }
}
