package org.projectbeacon.outbox;

import org.projectbeacon.resilience.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.projectbeacon.resilience.spi.MeterDescriptor;
import org.projectbeacon.resilience.spi.MetricCatalog;
import org.projectbeacon.outbox.redis.StreamConsumer;

class OutboxMetricCatalogTest {

    static DataSource h2(String name) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        return ds;
    }

    static Set<String> series(String scrape) {
        return scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void bindingTheModulesBindersRegistersExactlyTheCatalog() {
        OutboxConfig config = OutboxConfig.builder().build();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OutboxMetrics.create().bindTo(registry);
        OutboxMonitor.builder(h2("catalog"), config).build().bindTo(registry);
        // Building a consumer or ledger metrics does no I/O, so nothing needs to be reachable here.
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create("redis://127.0.0.1:1");
        try {
            StreamConsumer.builder(client, "s", "g", "c", entry -> { }).build().bindTo(registry);
        } finally {
            client.shutdown();
        }
        LedgerMetrics.builder(ProcessingLedger.create(h2("catalog"), LedgerConfig.builder().build())).build()
                .bindTo(registry);

        // Tag keys per meter, and no closed value set: stream and group come from the configuration.
        Set<String> registeredKeys = registry.getMeters().stream().map(m -> m.getId().getName() + " "
                + m.getId().getTags().stream().map(io.micrometer.core.instrument.Tag::getKey).sorted().toList())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> declaredKeys = new OutboxMetricCatalog().meters().stream()
                .map(d -> d.name() + " " + d.tagKeys().stream().sorted().toList())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(registeredKeys).isEqualTo(declaredKeys);
        assertThat(new OutboxMetricCatalog().meters()).allSatisfy(d -> assertThat(d.closedTagValues()).isEmpty());

        Set<String> expected = new OutboxMetricCatalog().meters().stream()
                .flatMap(d -> d.prometheusSeries().stream()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(series(registry.scrape())).isEqualTo(expected);
        assertThat(expected).contains("outbox_unpublished_count", "outbox_oldest_unpublished_age_seconds",
                "outbox_dead_letter_count", "outbox_published_total", "outbox_failed_total", "outbox_dead_lettered_total",
                "outbox_reclaimed_total", "outbox_publish_latency_seconds_count", "outbox_reconciled_total",
                "outbox_consumer_lag", "outbox_consumer_pending", "outbox_consumer_last_read_age_seconds",
                "outbox_consumer_read_errors_total", "outbox_ledger_takeovers_total", "outbox_ledger_expired_leases");
    }

    @Test
    void theCatalogIsFoundByTheServiceLoaderAndNamesEachMeterOnce() {
        assertThat(ServiceLoader.load(MetricCatalog.class).stream().map(p -> p.type().getName()))
                .contains(OutboxMetricCatalog.class.getName());
        assertThat(new OutboxMetricCatalog().meters().stream().map(MeterDescriptor::name)).doesNotHaveDuplicates();
    }

    @Test
    void scrapesServeTheLastRefreshWithoutQueryingTheDatabase() throws SQLException {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        DataSource ds = h2("scrape");
        OutboxConfig config = OutboxConfig.builder().tablePrefix("scrape_").clock(clock).build();
        Outbox outbox = Outbox.create(config);
        outbox.migrate(ds);
        try (var c = ds.getConnection()) {
            outbox.enqueue(c, OutboxMessage.builder("jobs").payload("x").build());
        }
        OutboxMonitor monitor = OutboxMonitor.builder(ds, config).build();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        monitor.bindTo(registry);
        assertThat(registry.scrape()).contains("outbox_unpublished_count 0");
        clock.advance(Duration.ofSeconds(90));
        monitor.refresh();
        try (var c = ds.getConnection(); var st = c.createStatement()) {
            // Dropping the table proves the next scrape reads the snapshot, not the database.
            st.execute("DROP TABLE " + config.outboxTable());
        }
        String scrape = registry.scrape();
        assertThat(scrape).contains("outbox_unpublished_count 1").contains("outbox_oldest_unpublished_age_seconds 90");
    }
}
