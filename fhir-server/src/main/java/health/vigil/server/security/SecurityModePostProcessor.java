package health.vigil.server.security;

import health.vigil.server.security.VigilSecurityProperties.Mode;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Checks the security settings before anything else starts ({@link SecuritySettings}) and fixes
 * {@code vigil.security.mode} to the mode decided, so every configuration class sees the same one.
 */
final class SecurityModePostProcessor implements EnvironmentPostProcessor {

    static final String PROPERTY_SOURCE = "vigilSecurityMode";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        VigilSecurityProperties properties =
                Binder.get(environment).bindOrCreate("vigil.security", VigilSecurityProperties.class);
        Mode mode = SecuritySettings.effectiveMode(properties, environment.getProperty("server.address"));
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        PROPERTY_SOURCE,
                        Map.of("vigil.security.mode", mode.name().toLowerCase(Locale.ROOT))));
    }
}
