package org.projectbeacon.resilience.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectbeacon.resilience.Guard;
import org.projectbeacon.resilience.GuardConfig;
import org.projectbeacon.resilience.GuardRegistry;
import org.projectbeacon.resilience.RegionFallback;
import org.projectbeacon.resilience.RegionFallbackConfig;
import org.projectbeacon.resilience.spi.MeterDescriptor;
import org.projectbeacon.resilience.spi.MeterKind;
import org.projectbeacon.resilience.spi.MetricCatalog;

/** Proves that the core binders register exactly {@link CoreMetricCatalog}, under exactly its Prometheus names. */
class CoreMetricCatalogTest {

    private final CoreMetricCatalog catalog = new CoreMetricCatalog();
    private final SimpleMeterRegistry simple = new SimpleMeterRegistry();
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final GuardRegistry registry = GuardRegistry.ofDefaults();
    private final RunnerMetrics runner = RunnerMetrics.create();

    @BeforeEach
    void bindAndExercise() throws Exception {
        for (var target : List.of(simple, prometheus)) {
            registry.metrics().bindTo(target);
            runner.bindTo(target);
        }
        // A guard created after binding must still get its meters.
        Guard guard = registry.guard("ipfs", GuardConfig.builder()
                .bulkheadMaxConcurrentCalls(2)
                .timeout(Duration.ofSeconds(1))
                .build());
        guard.get(() -> "ok");
        RegionFallback golem = registry.regionFallback(RegionFallbackConfig.builder("golem").regions("lhr", "fra").build());
        registry.admin().forceOpen("golem-lhr", Duration.ofMinutes(1), "test");
        golem.call(region -> region);
        registry.admin().reset("golem-lhr", "test");

        runner.jobEnqueued();
        runner.jobProcessed(JobOutcome.SUCCESS, Duration.ofMillis(1500));
        runner.offersSeen("lhr", 3);
        runner.negotiationProbe("lhr", JobOutcome.FAILURE);
    }

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void theCatalogIsFoundThroughTheServiceLoader() {
        assertThat(ServiceLoader.load(MetricCatalog.class).stream().map(ServiceLoader.Provider::type))
                .contains(CoreMetricCatalog.class);
        assertThat(catalog.meters()).extracting(MeterDescriptor::name).doesNotHaveDuplicates();
    }

    @Test
    void bindersRegisterExactlyTheCatalogWithItsKindsAndTagKeys() {
        Set<String> registered = prometheus.getMeters().stream()
                .map(meter -> signature(meter.getId().getName(), kindOf(meter), meter.getId().getTags().stream()
                        .map(Tag::getKey).collect(Collectors.toCollection(TreeSet::new))))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> declared = catalog.meters().stream()
                .map(d -> signature(d.name(), d.kind(), new TreeSet<>(d.tagKeys())))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(registered).isEqualTo(declared);
    }

    @Test
    void theScrapeHoldsExactlyTheCatalogsPrometheusSeries() {
        Set<String> scraped = Arrays.stream(prometheus.scrape().split("\n"))
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0])
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> declared = catalog.meters().stream()
                .flatMap(d -> d.prometheusSeries().stream())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(scraped).isEqualTo(declared);
    }

    @Test
    void theDeclaredClosedValueSetsAreExactlyTheValuesTheBindersEmit() {
        Map<String, Set<String>> emitted = new TreeMap<>();
        Map<String, Set<String>> declared = new TreeMap<>();
        for (MeterDescriptor d : catalog.meters()) {
            for (Map.Entry<String, Set<String>> closed : d.closedTagValues().entrySet()) {
                declared.put(d.name() + " " + closed.getKey(), new TreeSet<>(closed.getValue()));
                emitted.put(d.name() + " " + closed.getKey(), prometheus.find(d.name()).meters().stream()
                        .map(m -> m.getId().getTag(closed.getKey()))
                        .collect(Collectors.toCollection(TreeSet::new)));
            }
        }
        assertThat(emitted).isEqualTo(declared);
        assertThat(declared).containsEntry("jobs.processed outcome", new TreeSet<>(Set.of("success", "failure")))
                .containsKey("resilience4j.circuitbreaker.state state");
    }

    @Test
    void tagKeysWithoutAClosedSetCarryValuesChosenAtRunTime() {
        // region, dependency and the guard's name come from the application's configuration, so
        // no catalog can list them; every other tag key of core is closed.
        Set<String> open = catalog.meters().stream()
                .flatMap(d -> d.tagKeys().stream().filter(k -> d.closedValues(k).isEmpty()))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(open).containsExactly("dependency", "from", "name", "region", "to");
    }

    @Test
    void theRunbooksMetricsAreExportedUnderTheirExactNames() {
        String scrape = prometheus.scrape();
        assertThat(scrape)
                .contains("jobs_enqueued_total 1.0")
                .contains("jobs_processed_total{outcome=\"success\"} 1.0")
                .contains("jobs_processed_total{outcome=\"failure\"} 0.0")
                .contains("negotiation_offers_seen_total{region=\"lhr\"} 3.0")
                .contains("negotiation_probes_total{outcome=\"failure\",region=\"lhr\"} 1.0")
                .contains("resilience4j_circuitbreaker_state{name=\"ipfs\",state=\"closed\"} 1.0")
                .contains("beacon_region_fallbacks_total{dependency=\"golem\",from=\"lhr\",to=\"fra\"} 1.0")
                .contains("beacon_breaker_admin_operations_total{operation=\"force-open\"} 1.0")
                .contains("jobs_duration_seconds_bucket{outcome=\"success\",le=\"2.0\"} 1");
    }

    private static String signature(String name, MeterKind kind, Set<String> tagKeys) {
        return name + " " + kind + " " + tagKeys;
    }

    private static MeterKind kindOf(Meter meter) {
        return switch (meter.getId().getType()) {
            case COUNTER -> MeterKind.COUNTER;
            case GAUGE -> MeterKind.GAUGE;
            case TIMER -> MeterKind.TIMER;
            case DISTRIBUTION_SUMMARY -> MeterKind.DISTRIBUTION_SUMMARY;
            case LONG_TASK_TIMER -> MeterKind.LONG_TASK_TIMER;
            case OTHER -> throw new AssertionError("unexpected meter type of " + meter.getId());
        };
    }
}
