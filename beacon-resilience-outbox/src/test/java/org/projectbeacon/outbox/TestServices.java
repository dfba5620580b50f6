package org.projectbeacon.outbox;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.projectbeacon.outbox.spi.OutboxDialect;

/**
 * The real services of this machine. An unreachable service skips the test with a message, or fails
 * it when {@code CI=true}.
 */
final class TestServices {
    private TestServices() {}

    static final String PG_URL = env("BEACON_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    static final String MARIADB_URL = env("BEACON_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test?user=root");
    static final String REDIS_URI = env("BEACON_REDIS_URI", "redis://127.0.0.1:6379");

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    static void unavailable(String service, Exception e) {
        String msg = service + " is unreachable (" + e + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(msg + "; CI=true requires it");
        }
        // Aborting in a @BeforeAll reports no test as skipped, so say it where the build log shows it.
        System.err.println("[SKIPPED] " + msg + "; set CI=true to fail instead");
        Assumptions.abort(msg + "; skipping");
    }

    static DataSource dataSource(OutboxDialect dialect, String h2Name) {
        DataSource ds;
        try {
            switch (dialect.name()) {
                case "postgresql" -> {
                    PGSimpleDataSource pg = new PGSimpleDataSource();
                    pg.setURL(PG_URL);
                    ds = pg;
                }
                case "mariadb" -> ds = new MariaDbDataSource(MARIADB_URL);
                default -> {
                    org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
                    h2.setURL("jdbc:h2:mem:" + h2Name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
                    ds = h2;
                }
            }
            try (Connection c = ds.getConnection()) {
                c.isValid(2);
            }
        } catch (SQLException e) {
            unavailable(dialect.name(), e);
            throw new AssertionError("unreachable");
        }
        return ds;
    }

    static RedisClient redis() {
        RedisClient client = RedisClient.create(REDIS_URI);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().ping();
        } catch (RuntimeException e) {
            client.shutdown();
            unavailable("redis", e);
        }
        return client;
    }

    /** A fresh lower-case prefix, so test classes sharing a database or Redis never meet. */
    static String prefix(String base) {
        return (base + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL) + "_")
                .toLowerCase(Locale.ROOT);
    }

    static void dropTables(DataSource ds, OutboxConfig config) {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + config.outboxTable());
            st.execute("DROP TABLE IF EXISTS " + config.deadLetterTable());
            if (config.dialect().supportsListenNotify()) {
                st.execute("DROP FUNCTION IF EXISTS " + config.tablePrefix() + "outbox_notify()");
            }
        } catch (SQLException e) {
            // Best effort: a leftover table with a random prefix harms nobody.
        }
    }
}
