package org.projectbeacon.spring.boot.autoconfigure.internal;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Adds, with the lowest precedence (any property the application sets wins), Actuator's place for
 * Beacon's DEGRADED status: health order {@code DOWN, OUT_OF_SERVICE, DEGRADED, UP, UNKNOWN} (worse
 * than UP, better than OUT_OF_SERVICE) and HTTP 200, as Beacon's {@code /health/ready} answers, so
 * a degraded service stays in the load balancer.
 */
public final class BeaconDefaults implements EnvironmentPostProcessor {

    /** Name of the property source added. */
    public static final String SOURCE = "beaconDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, Map.of(
                "management.endpoint.health.status.order", "DOWN,OUT_OF_SERVICE,DEGRADED,UP,UNKNOWN",
                // A mapping replaces Actuator's defaults whole, so they are repeated here.
                "management.endpoint.health.status.http-mapping.down", "503",
                "management.endpoint.health.status.http-mapping.out-of-service", "503",
                "management.endpoint.health.status.http-mapping.degraded", "200")));
    }
}
