package org.projectbeacon.spring.boot.autoconfigure;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.projectbeacon.health.CheckOptions;
import org.projectbeacon.health.HealthAggregator;
import org.projectbeacon.health.checks.BreakerHealthCheck;
import org.projectbeacon.resilience.GuardRegistry;
import org.projectbeacon.resilience.metrics.RunnerMetrics;
import org.projectbeacon.spring.boot.autoconfigure.internal.LifecycleBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Beacon's core beans: the {@link GuardRegistry} from {@code beacon.guards.*},
 * {@code beacon.guard-defaults.*} and {@code beacon.regions.*}, its meters, and the health
 * aggregator over every {@link BeaconHealthCheck} bean.
 *
 * <p>When the application has a resilience4j {@link CircuitBreakerRegistry} bean (from
 * {@code resilience4j-spring-boot4}), the guards keep their breakers in it: a guard named
 * {@code golem} and {@code @CircuitBreaker(name = "golem")} are one breaker, with one state, one set
 * of metrics and one admin reset. The breaker's configuration is then whichever side created it
 * first; configure it in one place ({@code resilience4j.circuitbreaker.instances.golem.*} or
 * {@code beacon.guards.golem.*}), not both. Retry, time limiter and bulkhead stay Beacon's own.
 *
 * <p>Start-up fails, naming the key and the value, when a guard setting is invalid.
 */
@AutoConfiguration(afterName = "io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration")
@EnableConfigurationProperties(BeaconProperties.class)
public class BeaconAutoConfiguration {

    /**
     * The guard registry; guards and region fallbacks the properties name are created at start-up.
     *
     * @param properties the bound properties
     * @param circuitBreakers the application's resilience4j registry, when it has one
     * @return the registry, closed with the context
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public GuardRegistry beaconGuardRegistry(BeaconProperties properties, ObjectProvider<CircuitBreakerRegistry> circuitBreakers) {
        GuardRegistry.Builder builder = GuardRegistry.builder().settings(properties.guardSettings());
        circuitBreakers.ifAvailable(builder::circuitBreakerRegistry);
        GuardRegistry guards = builder.build();
        properties.getRegions().keySet().forEach(guards::regionFallback);
        for (String name : properties.getGuards().keySet()) {
            if (!properties.getRegions().containsKey(name)) {
                guards.guard(name);
            }
        }
        return guards;
    }

    /**
     * Breaker, retry, time limiter, bulkhead, region fallback and admin meters, bound by Boot to
     * every {@code MeterRegistry}.
     *
     * @param guards the registry
     * @return the binder
     */
    @Bean
    public MeterBinder beaconGuardMetrics(GuardRegistry guards) {
        return guards.metrics();
    }

    /**
     * The runner metrics of the runbook's alerts ({@code jobs_*}, {@code negotiation_probes_total}).
     *
     * @return the metrics, bound by Boot to every {@code MeterRegistry}
     */
    @Bean
    @ConditionalOnMissingBean
    public RunnerMetrics beaconRunnerMetrics() {
        return RunnerMetrics.create();
    }

    /**
     * A critical breaker check per region fallback and per guard named in the properties (a region
     * fallback's own guards are reported inside its check).
     *
     * @param properties the bound properties
     * @param guards the registry
     * @return the checks
     */
    @Bean
    public BeaconHealthChecks beaconBreakerChecks(BeaconProperties properties, GuardRegistry guards) {
        if (!properties.getHealth().isBreakers()) {
            return new BeaconHealthChecks(List.of());
        }
        CheckOptions options = CheckOptions.builder().interval(properties.getHealth().getInterval()).build();
        Set<String> regionGuards = new TreeSet<>();
        List<BeaconHealthCheck> checks = new java.util.ArrayList<>();
        guards.regionFallbacks().forEach(fallback -> {
            checks.add(new BeaconHealthCheck(fallback.dependency(), BreakerHealthCheck.of(fallback, guards.admin()), options));
            fallback.regions().forEach(region -> regionGuards.add(fallback.guard(region).name()));
        });
        guards.guards().stream()
                .filter(guard -> !regionGuards.contains(guard.name()))
                .forEach(guard -> checks.add(new BeaconHealthCheck(guard.name(), BreakerHealthCheck.of(guard, guards.admin()), options)));
        return new BeaconHealthChecks(checks);
    }

    /**
     * The aggregator behind {@code /health/ready} and the Actuator {@code beacon} contributor, over
     * every {@link BeaconHealthCheck} and {@link BeaconHealthChecks} bean, in bean order.
     *
     * @param single checks declared one by one
     * @param groups checks declared in groups
     * @return the aggregator, closed with the context
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public HealthAggregator beaconHealthAggregator(ObjectProvider<BeaconHealthCheck> single, ObjectProvider<BeaconHealthChecks> groups) {
        HealthAggregator.Builder builder = HealthAggregator.builder();
        single.orderedStream().forEach(check -> builder.check(check.name(), check.check(), check.options()));
        groups.orderedStream().flatMap(group -> group.checks().stream())
                .forEach(check -> builder.check(check.name(), check.check(), check.options()));
        return builder.build();
    }

    /**
     * Starts the aggregator's scheduled checks with the context and stops them at shutdown.
     *
     * @param health the aggregator
     * @return the lifecycle
     */
    @Bean
    public LifecycleBean beaconHealthLifecycle(HealthAggregator health) {
        return new LifecycleBean("beacon health checks", LifecycleBean.DEFAULT_PHASE, health::start, health::close);
    }
}
