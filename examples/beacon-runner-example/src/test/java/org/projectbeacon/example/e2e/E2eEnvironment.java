package org.projectbeacon.example.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.projectbeacon.outbox.RedisServerProcess;
import org.projectbeacon.resilience.TestServices;

/**
 * What one scenario runs on: a fresh PostgreSQL schema (its name is also the runners'
 * {@code ApplicationName}, so their backends can be told apart in {@code pg_stat_activity}), a
 * {@code redis-server} of its own that the scenario may stop, and the runner JVMs it started; closing
 * it kills the runners, stops the server and drops the schema. With {@code CI=true} a missing
 * PostgreSQL or {@code redis-server} fails the scenario instead of skipping it. Not thread-safe.
 */
final class E2eEnvironment implements AutoCloseable {

    /** The stream the example publishes jobs to: its fixed prefix {@code runner} and {@code jobs}. */
    static final String STREAM = "runner:jobs";

    private final String schema;
    private final RedisServerProcess redis;
    private final String redisUri;
    private final E2eHttp http;
    private final List<RunnerProcess> runners = new ArrayList<>();

    private E2eEnvironment(String schema, RedisServerProcess redis, String redisUri, E2eHttp http) {
        this.schema = schema;
        this.redis = redis;
        this.redisUri = redisUri;
        this.http = http;
    }

    /** A fresh schema and Redis for scenario {@code name} (lower-case letters, digits, '_'). */
    static E2eEnvironment create(String name, E2eHttp http) throws Exception {
        if (!new File(RedisServerProcess.REDIS_SERVER).canExecute()) {
            TestServices.unavailable("redis-server", RedisServerProcess.REDIS_SERVER + " is not installed");
        }
        String schema = freshSchema(name);
        RedisServerProcess redis = RedisServerProcess.start();
        return new E2eEnvironment(schema, redis, redis.uri(), http);
    }

    /**
     * A fresh schema for scenario {@code name} on the shared Redis Cluster ({@code BEACON_REDIS_CLUSTER_URI}),
     * as {@code redis+cluster://} seed; the scenario's stream is deleted before and after.
     */
    static E2eEnvironment onCluster(String name, E2eHttp http) throws Exception {
        String seed = TestServices.clusterUri();
        String uri = seed.replaceFirst("^redis://", "redis+cluster://");
        deleteClusterStream(uri);
        return new E2eEnvironment(freshSchema(name), null, uri, http);
    }

    private static void deleteClusterStream(String uri) {
        try (org.projectbeacon.outbox.redis.RedisConnector connector =
                        org.projectbeacon.outbox.redis.RedisConnector.create(uri);
                var connection = connector.connect()) {
            connection.sync().del(STREAM);
        }
    }

    private static String freshSchema(String name) throws SQLException {
        TestServices.requirePostgres();
        String schema = TestServices.prefix("e2e_" + name).replaceAll("_$", "");
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl()); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        return schema;
    }

    /** The runners' JDBC URL: the scenario's schema, and its name as application name. */
    String dbUrl() {
        String base = TestServices.postgresUrl();
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema + "&ApplicationName=" + schema;
    }

    /** The {@code application_name} of the runners' backends. */
    String applicationName() {
        return schema;
    }

    /** The test's own Redis; null on the shared cluster. */
    RedisServerProcess redis() {
        return redis;
    }

    /** Starts a runner on this scenario's database and Redis, its log under {@code target/e2e/}. */
    RunnerProcess startRunner(String name) throws IOException {
        RunnerProcess runner = RunnerProcess.of(http, dbUrl(), redisUri, TestServices.closedPort(),
                Path.of("target", "e2e", schema + "-" + name + ".log"));
        runners.add(runner);
        return runner.start();
    }

    /** Every runner's log, for failure messages. */
    List<Path> logs() {
        return runners.stream().map(RunnerProcess::log).toList();
    }

    /** A connection to the scenario's schema, as the test's own client (not the runners' name). */
    Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(TestServices.postgresUrl());
        try (Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + schema);
        }
        return c;
    }

    /** Rows in table {@code table} of the scenario's schema. */
    long rows(String table) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws Exception {
        for (RunnerProcess runner : runners) {
            runner.kill();
        }
        if (redis != null) {
            redis.close();
        } else {
            deleteClusterStream(redisUri);
        }
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl()); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
