package org.projectbeacon.health.checks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.sql.DataSource;
import org.projectbeacon.health.HealthResult;
import org.projectbeacon.health.spi.HealthCheck;

/**
 * Checks a database by running {@code SELECT 1} on a connection from a {@link DataSource} (a Jdbi
 * user passes the same data source Jdbi was created with), with a query timeout.
 *
 * <p>Blocking; the aggregator runs it on its executor. A failure is DOWN with the exception's type
 * and message (JDBC drivers do not put passwords in their messages). Thread-safe.
 */
public final class JdbcHealthCheck implements HealthCheck {

    /** Default 2 s for the query. */
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(2);

    private final DataSource dataSource;
    private final int queryTimeoutSeconds;

    private JdbcHealthCheck(DataSource dataSource, Duration queryTimeout) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        if (queryTimeout == null || queryTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("queryTimeout must be at least 1ms but was " + queryTimeout);
        }
        // JDBC query timeouts are whole seconds; round up so a short timeout is never "no timeout" (0).
        this.queryTimeoutSeconds = (int) Math.max(1, (queryTimeout.toMillis() + 999) / 1000);
    }

    /** A check with {@link #DEFAULT_QUERY_TIMEOUT}. */
    public static JdbcHealthCheck of(DataSource dataSource) {
        return new JdbcHealthCheck(dataSource, DEFAULT_QUERY_TIMEOUT);
    }

    /** A check with the given query timeout (rounded up to whole seconds, as JDBC counts). */
    public static JdbcHealthCheck of(DataSource dataSource, Duration queryTimeout) {
        return new JdbcHealthCheck(dataSource, queryTimeout);
    }

    @Override
    public CompletionStage<HealthResult> check() {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(queryTimeoutSeconds);
            try (ResultSet rows = statement.executeQuery("SELECT 1")) {
                if (!rows.next()) {
                    return CompletableFuture.completedFuture(HealthResult.down("SELECT 1 returned no row"));
                }
            }
            return CompletableFuture.completedFuture(
                    HealthResult.up(Map.of("database", connection.getMetaData().getDatabaseProductName())));
        } catch (Exception e) {
            return CompletableFuture.completedFuture(HealthResult.down(e));
        }
    }
}
