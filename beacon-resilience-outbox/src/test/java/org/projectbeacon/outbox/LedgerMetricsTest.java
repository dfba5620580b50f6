package org.projectbeacon.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.projectbeacon.resilience.spi.MeterDescriptor;

class LedgerMetricsTest {

    @Test
    void bindingRegistersExactlyTheCatalogsLedgerMeters() {
        ProcessingLedger ledger = ProcessingLedger.create(OutboxMetricCatalogTest.h2("ledger_metrics"),
                LedgerConfig.builder().build());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LedgerMetrics.builder(ledger).build().bindTo(registry);

        List<String> names = List.of(OutboxMetricCatalog.LEDGER_TAKEOVERS, OutboxMetricCatalog.LEDGER_EXPIRED_LEASES);
        Set<String> expected = new OutboxMetricCatalog().meters().stream().filter(d -> names.contains(d.name()))
                .flatMap(d -> d.prometheusSeries().stream()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(OutboxMetricCatalogTest.series(registry.scrape())).isEqualTo(expected)
                .containsExactly("outbox_ledger_expired_leases", "outbox_ledger_takeovers_total");
        assertThat(new OutboxMetricCatalog().meters().stream().map(MeterDescriptor::name)).containsAll(names);
    }

    @Test
    void startNeedsASchedulerAndAFailedRefreshThrowsAndKeepsTheCount() {
        // No table in this database: every refresh fails.
        ProcessingLedger ledger = ProcessingLedger.create(OutboxMetricCatalogTest.h2("ledger_metrics_missing"),
                LedgerConfig.builder().build());
        LedgerMetrics metrics = LedgerMetrics.builder(ledger).build();
        assertThatThrownBy(metrics::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("scheduler");
        assertThatThrownBy(metrics::refresh).isInstanceOf(SQLException.class);
        assertThat(metrics.expiredLeases()).isZero();
        metrics.close(); // closing a metrics never started is harmless
    }
}
