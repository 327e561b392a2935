package health.vigil.ingestion.mqtt;

import ca.uhn.fhir.context.FhirContext;
import health.vigil.ingestion.api.FeedStore;
import health.vigil.ingestion.api.IngestionProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Contributes the MQTT subscriber when {@code vigil.ingestion.mqtt.enabled=true}. It stores through the
 * application's {@link FeedStore}, which the server provides.
 */
@AutoConfiguration(afterName = "health.vigil.ingestion.device.DeviceIngestionAutoConfiguration")
@ConditionalOnProperty(prefix = "vigil.ingestion.mqtt", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(IngestionProperties.class)
public class MqttIngestionAutoConfiguration {

    @Bean
    MqttFeedSubscriber mqttFeedSubscriber(
            IngestionProperties properties, FeedStore store, ObjectProvider<FhirContext> fhirContext) {
        return new MqttFeedSubscriber(properties.mqtt(), store, fhirContext.getIfAvailable(FhirContext::forR4Cached));
    }
}
