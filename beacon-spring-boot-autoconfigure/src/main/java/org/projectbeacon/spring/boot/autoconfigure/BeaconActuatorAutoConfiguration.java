package org.projectbeacon.spring.boot.autoconfigure;

import jakarta.servlet.Filter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.projectbeacon.health.HealthAggregator;
import org.projectbeacon.health.HealthReport;
import org.projectbeacon.health.HealthStatus;
import org.projectbeacon.health.ServiceHealth;
import org.projectbeacon.health.internal.HealthJson;
import org.projectbeacon.resilience.GuardRegistry;
import org.projectbeacon.spring.boot.autoconfigure.internal.AdminTokenFilter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Beacon in Spring Boot Actuator.
 *
 * <p><b>Health.</b> A composite contributor {@code beacon} with one indicator per Beacon check, each
 * reading the aggregator's latest report (no check runs on a health request). Status mapping, chosen
 * so that Actuator's roll-up of {@code components.beacon} equals {@code /health/ready}'s status:
 * <table>
 * <caption>Beacon status to Actuator status</caption>
 * <tr><th>Beacon check</th><th>Actuator</th><th>HTTP</th></tr>
 * <tr><td>UP</td><td>UP</td><td>200</td></tr>
 * <tr><td>DEGRADED, or DOWN of a non-critical check</td><td>DEGRADED</td><td>200</td></tr>
 * <tr><td>DOWN of a critical check</td><td>DOWN</td><td>503</td></tr>
 * <tr><td>UNKNOWN of a critical check (no result yet)</td><td>OUT_OF_SERVICE</td><td>503</td></tr>
 * <tr><td>UNKNOWN of a non-critical check</td><td>UP</td><td>200</td></tr>
 * </table>
 * The order {@code DOWN, OUT_OF_SERVICE, DEGRADED, UP, UNKNOWN} and {@code DEGRADED -> 200} are
 * added as lowest-precedence defaults ({@code management.endpoint.health.status.*} set by the
 * application wins). Each indicator's details carry Beacon's own status, error, details and
 * {@code circuit_breaker_stats}.
 *
 * <p><b>Endpoints.</b> {@code beaconbreakers} (read: every breaker; write: reset all) and
 * {@code beacondlq} (read: failure patterns; write: requeue all), exposed as usual with
 * {@code management.endpoints.web.exposure.include}. Over HTTP they require the same bearer token as
 * the admin API ({@code beacon.admin.token}; 401 without it, 403 when none is set); over JMX they
 * rely on JMX's own access control.
 */
@AutoConfiguration(after = {BeaconAutoConfiguration.class, BeaconOutboxAutoConfiguration.class})
@ConditionalOnClass({HealthIndicator.class, Endpoint.class})
public class BeaconActuatorAutoConfiguration {

    /**
     * The {@code beacon} health contributor.
     *
     * @param health the aggregator
     * @return one indicator per Beacon check
     */
    @Bean
    public CompositeHealthContributor beaconHealthContributor(HealthAggregator health) {
        Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
        for (ServiceHealth service : health.report().services()) {
            String name = service.name();
            indicators.put(name, () -> health(health.report(), name));
        }
        return CompositeHealthContributor.fromMap(indicators);
    }

    private static Health health(HealthReport report, String name) {
        ServiceHealth service = report.services().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
        if (service == null) {
            return Health.unknown().build();
        }
        Health.Builder builder = Health.status(status(service))
                .withDetail("status", service.status().name())
                .withDetail("critical", service.critical());
        if (service.error() != null) {
            builder.withDetail("error", service.error());
        }
        if (!service.details().isEmpty()) {
            builder.withDetail("details", service.details());
        }
        if (service.breaker() != null) {
            builder.withDetail("circuit_breaker_stats", HealthJson.breakerStats(service.breaker()));
        }
        return builder.build();
    }

    /** Actuator's status of a Beacon check; see the type's table. */
    static Status status(ServiceHealth service) {
        HealthStatus status = service.status();
        return switch (status) {
            case UP -> Status.UP;
            case DEGRADED -> DEGRADED;
            case DOWN -> service.critical() ? Status.DOWN : DEGRADED;
            case UNKNOWN -> service.critical() ? Status.OUT_OF_SERVICE : Status.UP;
        };
    }

    /** Actuator's status for Beacon's DEGRADED. */
    public static final Status DEGRADED = new Status("DEGRADED", "working with reduced capacity");

    /**
     * The {@code beaconbreakers} endpoint.
     *
     * @param guards the guard registry
     * @return the endpoint
     */
    @Bean
    public BeaconBreakersEndpoint beaconBreakersEndpoint(GuardRegistry guards) {
        return new BeaconBreakersEndpoint(guards.admin());
    }

    /** The bearer-token check in front of Beacon's Actuator endpoints over HTTP. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass({Filter.class, FilterRegistrationBean.class})
    public static class TokenConfiguration {

        /**
         * The filter on {@code <management base path>/beaconbreakers} and {@code /beacondlq}.
         *
         * @param properties the bound properties
         * @param environment for {@code management.endpoints.web.base-path}
         * @param unused keeps this configuration after the endpoints
         * @return the registration
         */
        @Bean
        public FilterRegistrationBean<AdminTokenFilter> beaconActuatorTokenFilter(BeaconProperties properties,
                Environment environment, ObjectProvider<BeaconBreakersEndpoint> unused) {
            String base = environment.getProperty("management.endpoints.web.base-path", "/actuator");
            FilterRegistrationBean<AdminTokenFilter> registration =
                    new FilterRegistrationBean<>(new AdminTokenFilter(properties.getAdmin().getToken()));
            registration.addUrlPatterns(base + "/" + BeaconBreakersEndpoint.ID, base + "/" + BeaconBreakersEndpoint.ID + "/*",
                    base + "/" + BeaconDeadLettersEndpoint.ID, base + "/" + BeaconDeadLettersEndpoint.ID + "/*");
            registration.setName("beaconActuatorTokenFilter");
            return registration;
        }
    }
}
