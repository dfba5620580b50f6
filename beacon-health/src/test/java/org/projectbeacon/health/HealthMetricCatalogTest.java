package org.projectbeacon.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Arrays;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.projectbeacon.health.http.BeaconEndpoints;
import org.projectbeacon.health.http.HttpRequest;
import org.projectbeacon.health.http.Route;
import org.projectbeacon.health.http.HttpResponse;
import org.projectbeacon.resilience.spi.MeterDescriptor;
import org.projectbeacon.resilience.spi.MetricCatalog;

/** Proves the health binders register exactly {@link HealthMetricCatalog} under its Prometheus names. */
class HealthMetricCatalogTest {

    @Test
    void endpointsRegisterExactlyTheCatalog() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        BeaconEndpoints endpoints = BeaconEndpoints.builder()
                .route(Route.of("GET", "/ping", request -> HttpResponse.error(200, "pong")))
                .build();
        endpoints.bindTo(prometheus);
        endpoints.handle(HttpRequest.of("GET", "/ping"));

        Set<String> scraped = Arrays.stream(prometheus.scrape().split("\n"))
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0])
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> declared = new HealthMetricCatalog().meters().stream()
                .flatMap(d -> d.prometheusSeries().stream())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(scraped).isEqualTo(declared);
        assertThat(prometheus.getMeters()).extracting(m -> m.getId().getName())
                .containsOnly(new HealthMetricCatalog().meters().stream().map(MeterDescriptor::name).toArray(String[]::new));
        assertThat(prometheus.getMeters().get(0).getId().getTags()).extracting(io.micrometer.core.instrument.Tag::getKey)
                .containsExactlyInAnyOrderElementsOf(new HealthMetricCatalog().meters().get(0).tagKeys());
    }

    @Test
    void everyTagIsOpenBecauseRoutesMethodsAndStatusesComeFromTheApplication() {
        // The routes are the application's own, and a client may send any method; a closed set here
        // would make verify-alerts reject a route the service really serves.
        assertThat(new HealthMetricCatalog().meters()).allSatisfy(d -> assertThat(d.closedTagValues()).isEmpty());
    }

    @Test
    void theCatalogIsFoundThroughTheServiceLoader() {
        assertThat(ServiceLoader.load(MetricCatalog.class).stream().map(ServiceLoader.Provider::type))
                .contains(HealthMetricCatalog.class);
    }
}
