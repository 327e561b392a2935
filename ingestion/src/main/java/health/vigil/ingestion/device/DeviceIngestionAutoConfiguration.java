package health.vigil.ingestion.device;

import health.vigil.ingestion.api.DeviceIngestion;
import health.vigil.ingestion.api.IngestionProperties;
import health.vigil.terminology.api.Terminology;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * Contributes {@link DeviceIngestion} over the shipped terminology, with the device templates of
 * {@code vigil.ingestion.templates} read and validated at start, unless {@code
 * vigil.ingestion.enabled=false}.
 */
@AutoConfiguration(afterName = "health.vigil.terminology.TerminologyAutoConfiguration")
@ConditionalOnProperty(prefix = "vigil.ingestion", name = "enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnBean(Terminology.class)
@EnableConfigurationProperties(IngestionProperties.class)
public class DeviceIngestionAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DeviceIngestion deviceIngestion(Terminology terminology, IngestionProperties properties) {
        DeviceTemplates templates = new DeviceTemplates(terminology);
        return new DeviceIngestionService(
                List.of(
                        new OpenMHealthAdapter(terminology.deviceCodes()),
                        new AppleHealthAdapter(
                                terminology.deviceCodes(),
                                properties.appleHealth().maxExportSize().toBytes()),
                        new Hl7v2Adapter(
                                terminology,
                                properties.hl7v2().zone(),
                                properties.hl7v2().assigningAuthorities())),
                configured(templates, properties.templates()),
                templates,
                new ObservationMapper(terminology),
                properties.maxRecords(),
                windows(properties.sampledData()));
    }

    private static SampledWindows windows(IngestionProperties.SampledData settings) {
        return settings.enabled() ? new SampledWindows(settings) : null;
    }

    private static List<DeviceTemplate> configured(DeviceTemplates templates, List<String> locations) {
        ResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
        List<DeviceTemplate> read = new ArrayList<>();
        for (String location : locations) {
            try {
                Resource[] files = resolver.getResources(location);
                if (files.length == 0 || !files[0].exists()) {
                    throw new IllegalStateException("vigil.ingestion.templates: nothing found at " + location);
                }
                for (Resource file : files) {
                    try (InputStream content = file.getInputStream()) {
                        read.addAll(templates.read(file.getDescription(), content.readAllBytes()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("vigil.ingestion.templates: cannot read " + location, e);
            }
        }
        return read;
    }
}
