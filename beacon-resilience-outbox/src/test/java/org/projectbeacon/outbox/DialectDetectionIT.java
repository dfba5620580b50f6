package org.projectbeacon.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.projectbeacon.outbox.spi.OutboxDialect;

/**
 * A configuration without a dialect: every component detects it from the database on first use
 * (none defaults to H2 on PostgreSQL any more), and a database without a built-in dialect fails
 * naming its product.
 */
class DialectDetectionIT {

    static OutboxDialect builtIn(String name) {
        return switch (name) {
            case "postgresql" -> OutboxDialect.postgresql();
            case "mariadb" -> OutboxDialect.mariadb();
            default -> OutboxDialect.h2();
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb", "h2"})
    void everyComponentDetectsTheDialectOnFirstUse(String name) throws Exception {
        String prefix = TestServices.prefix("detect_" + name);
        DataSource ds = TestServices.dataSource(builtIn(name), prefix);
        OutboxConfig config = OutboxConfig.builder().tablePrefix(prefix).build(); // no I/O, no dialect
        assertThat(config.configuredDialect()).isEmpty();
        assertThat(config.withDetectedDialect(ds).dialect()).isSameAs(builtIn(name));

        Outbox outbox = Outbox.create(config);
        outbox.migrate(ds);
        try (Connection c = ds.getConnection()) {
            for (int i = 0; i < 25; i++) {
                assertThat(outbox.enqueue(c, OutboxMessage.builder("jobs").payload("m" + i).build())).isTrue();
            }
        }
        assertThat(OutboxMonitor.builder(ds, config).build().refresh().unpublished()).isEqualTo(25);
        assertThat(DeadLetterQueue.create(ds, config, new InProcessSink()).count(DeadLetterFilter.all())).isZero();
        InProcessSink sink = new InProcessSink();
        try (OutboxPublisher publisher = OutboxPublisher.builder(ds, config, sink)
                .config(PublisherConfig.builder().pollInterval(Duration.ofMillis(50)).build()).build()) {
            publisher.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> sink.entries("jobs").size() == 25);
            await().atMost(Duration.ofSeconds(20)).until(() -> publisher.status().backlog() == 0);
        }
        TestServices.dropTables(ds, config.withDetectedDialect(ds));
    }

    @Test
    void anUnknownDatabaseProductFailsNamingIt() throws Exception {
        String prefix = TestServices.prefix("detect_unknown");
        DataSource h2 = TestServices.dataSource(OutboxDialect.h2(), prefix);
        DataSource oracle = productNamed(h2, "Oracle");
        OutboxConfig config = OutboxConfig.builder().tablePrefix(prefix).build();
        assertThatThrownBy(() -> config.withDetectedDialect(oracle)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Oracle'").hasMessageContaining("OutboxConfig.Builder.dialect");
        assertThatThrownBy(() -> Outbox.create(config).migrate(oracle)).hasMessageContaining("'Oracle'");
        OutboxPublisher publisher = OutboxPublisher.builder(oracle, config, new InProcessSink()).build();
        assertThatThrownBy(publisher::start).as("start fails rather than workers retrying forever")
                .hasMessageContaining("'Oracle'");
        assertThat(publisher.isRunning()).isFalse();
        assertThatThrownBy(() -> OutboxMonitor.builder(oracle, config).build().refresh()).hasMessageContaining("'Oracle'");
    }

    /** {@code ds} whose connections report {@code product} as their database product (and are H2 otherwise). */
    static DataSource productNamed(DataSource ds, String product) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (p, m, args) -> {
                    Object result = invoke(ds, m, args);
                    return m.getName().equals("getConnection") ? wrap((Connection) result, product) : result;
                });
    }

    private static Connection wrap(Connection c, String product) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (p, m, args) -> {
                    if (m.getName().equals("getMetaData")) {
                        DatabaseMetaData meta = c.getMetaData();
                        return Proxy.newProxyInstance(DatabaseMetaData.class.getClassLoader(),
                                new Class<?>[] {DatabaseMetaData.class}, (q, n, a) ->
                                        n.getName().equals("getDatabaseProductName") ? product : invoke(meta, n, a));
                    }
                    return invoke(c, m, args);
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
