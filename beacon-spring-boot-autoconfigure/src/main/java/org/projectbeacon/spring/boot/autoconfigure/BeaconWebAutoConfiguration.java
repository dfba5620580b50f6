package org.projectbeacon.spring.boot.autoconfigure;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import org.projectbeacon.health.HealthAggregator;
import org.projectbeacon.health.console.ConsoleRoutes;
import org.projectbeacon.health.console.HealthHistory;
import org.projectbeacon.health.http.BeaconEndpoints;
import org.projectbeacon.health.http.RequestFilter;
import org.projectbeacon.resilience.GuardRegistry;
import org.projectbeacon.spring.boot.autoconfigure.internal.BeaconServlet;
import org.projectbeacon.spring.boot.autoconfigure.internal.LifecycleBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * The runbook's HTTP paths on the application's own port: {@code GET /health/live},
 * {@code GET /health/ready} (the same JSON as Beacon's server, {@code services[].circuit_breaker_stats}
 * included), {@code GET /metrics} (when a Prometheus registry exists) and the admin API under
 * {@code /api/v1/admin/} ({@code circuit-breakers}, {@code dlq}, {@code outbox}), and the operator
 * console at {@code /console/} with its {@code /health/history} and {@code /health/breakers}
 * ({@code beacon.http.console=false} turns the console off).
 *
 * <p><b>Security.</b> Admin routes require {@code Authorization: Bearer <beacon.admin.token>}
 * (401 without it, 403 {@code admin API is disabled} when no token is set). With Spring Security
 * on the classpath these paths also pass the application's filter chain first: both must let a
 * request through, so either permit {@code /api/v1/admin/**} in the chain and rely on the token, or
 * require your own authentication there in addition to it.
 */
@AutoConfiguration(after = {BeaconAutoConfiguration.class, BeaconOutboxAutoConfiguration.class},
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({HttpServlet.class, ServletRegistrationBean.class})
@ConditionalOnBooleanProperty(name = "beacon.http.enabled", matchIfMissing = true)
public class BeaconWebAutoConfiguration {

    /** The paths the servlet answers; everything else stays the application's. */
    public static final String[] PATHS = {"/health/*", "/metrics", "/api/v1/admin/*"};
    /** The console's paths, answered too unless {@code beacon.http.console=false}. */
    public static final String[] CONSOLE_PATHS = {ConsoleRoutes.CONSOLE_PATH, ConsoleRoutes.CONSOLE_PATH + "/*"};

    /**
     * The 30-minute history of health reports the console's backlog charts draw, sampled every 5 s on a
     * thread of its own.
     *
     * @param health the aggregator
     * @return the history, sampled once the context has started
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "beacon.http.console", matchIfMissing = true)
    public HealthHistory beaconHealthHistory(HealthAggregator health) {
        return HealthHistory.builder(health).build();
    }

    /**
     * Samples the history while the application runs.
     *
     * @param history the history
     * @return the lifecycle
     */
    @Bean
    @ConditionalOnBooleanProperty(name = "beacon.http.console", matchIfMissing = true)
    public LifecycleBean beaconHealthHistoryLifecycle(HealthHistory history) {
        return new LifecycleBean("beacon health history", LifecycleBean.DEFAULT_PHASE, history::start, history::close);
    }

    /**
     * The console's routes: the page, its history and its breaker list.
     *
     * @param history the history
     * @param guards the guard registry
     * @return the routes
     */
    @Bean
    @ConditionalOnBooleanProperty(name = "beacon.http.console", matchIfMissing = true)
    public BeaconRoutes beaconConsoleRoutes(HealthHistory history, GuardRegistry guards) {
        return new BeaconRoutes(ConsoleRoutes.builder().history(history).guards(guards).build());
    }

    /**
     * The endpoints: health, metrics, breaker admin, every {@link BeaconRoutes} bean and every
     * {@link RequestFilter} bean (in order), which sees each request before its route.
     *
     * @param properties the bound properties
     * @param health the aggregator
     * @param guards the guard registry
     * @param prometheus the Prometheus registry, if the application exports to Prometheus
     * @param routes extra routes
     * @param filters the application's request filters
     * @return the endpoints; their request timer is bound by Boot
     */
    @Bean
    @ConditionalOnMissingBean
    public BeaconEndpoints beaconEndpoints(BeaconProperties properties, HealthAggregator health, GuardRegistry guards,
            ObjectProvider<PrometheusMeterRegistry> prometheus, ObjectProvider<BeaconRoutes> routes,
            ObjectProvider<RequestFilter> filters) {
        BeaconEndpoints.Builder builder = BeaconEndpoints.builder()
                .health(health)
                .breakerAdmin(guards.admin())
                .routes(routes.orderedStream().flatMap(group -> group.routes().stream()).toList());
        filters.orderedStream().forEach(builder::filter);
        prometheus.ifAvailable(builder::metrics);
        String token = properties.getAdmin().getToken();
        if (token != null && !token.isBlank()) {
            builder.adminToken(token);
        }
        return builder.build();
    }

    /**
     * The servlet serving the endpoints at {@link #PATHS} and {@code beacon.http.additional-paths}.
     *
     * @param properties the bound properties
     * @param endpoints the endpoints
     * @return the registration
     */
    @Bean
    public ServletRegistrationBean<BeaconServlet> beaconServlet(BeaconProperties properties, BeaconEndpoints endpoints) {
        java.util.stream.Stream<String> console = properties.getHttp().isConsole()
                ? java.util.Arrays.stream(CONSOLE_PATHS) : java.util.stream.Stream.empty();
        String[] paths = java.util.stream.Stream.of(java.util.Arrays.stream(PATHS), console,
                properties.getHttp().getAdditionalPaths().stream()).flatMap(p -> p).distinct().toArray(String[]::new);
        ServletRegistrationBean<BeaconServlet> registration = new ServletRegistrationBean<>(new BeaconServlet(endpoints), paths);
        registration.setName("beaconServlet");
        return registration;
    }
}
