package org.projectbeacon.outbox;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.projectbeacon.outbox.spi.OutboxDialect;

/**
 * The real services of this machine. An unreachable service skips the test with a message, or fails
 * it when {@code CI=true}.
 */
final class TestServices {
    private TestServices() {}

    static final String PG_URL = org.projectbeacon.resilience.TestServices.postgresUrl();
    static final String MARIADB_URL = org.projectbeacon.resilience.TestServices.mariadbUrl();
    static final String REDIS_URI = org.projectbeacon.resilience.TestServices.redisUri();

    static void unavailable(String service, Exception e) {
        org.projectbeacon.resilience.TestServices.unavailable(service, e.toString());
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
        return org.projectbeacon.resilience.TestServices.prefix(base);
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
