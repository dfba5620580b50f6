package org.projectbeacon.outbox;

import io.lettuce.core.Range;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.Limit;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/** What the chaos tests share: child JVMs, a fast preload, and counting the ids a stream holds. */
final class ChaosSupport {

    private ChaosSupport() {}

    /**
     * Starts {@code main} in a new JVM on this test's classpath, its output going to
     * {@code target/chaos/<log>.log} (appended, so restarts keep one log).
     */
    static Process startJvm(Class<?> main, String log, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        // Failsafe runs tests from a manifest-only jar; it also publishes the real classpath.
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-cp", classpath, main.getName()));
        command.addAll(List.of(args));
        File out = Path.of("target", "chaos", log + ".log").toFile();
        out.getParentFile().mkdirs();
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out)).start();
    }

    /** Kills {@code p} with SIGKILL and waits for it to be gone. */
    static void kill(Process p) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Writes {@code n} due, unkeyed messages on {@code stream} into PostgreSQL outbox {@code config}
     * server-side (the columns {@code Outbox.enqueue} writes, 50k rows a statement): enqueueing 200k
     * messages one by one would take most of the time budget. Returns their ids.
     */
    static Set<String> preload(DataSource ds, OutboxConfig config, String stream, int n) throws SQLException {
        long now = System.currentTimeMillis();
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + config.outboxTable()
                    + " (id, stream, msg_key, payload, content_type, headers, created_at, available_at, attempts, history)"
                    + " SELECT gen_random_uuid()::text, ?, NULL, convert_to('job-' || g, 'UTF8'), 'text/plain', NULL, ?, ?, 0, NULL"
                    + " FROM generate_series(?, ?) g")) {
                for (int from = 1; from <= n; from += 50_000) {
                    ps.setString(1, stream);
                    ps.setLong(2, now);
                    ps.setLong(3, now);
                    ps.setInt(4, from);
                    ps.setInt(5, Math.min(n, from + 49_999));
                    ps.executeUpdate();
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("ANALYZE " + config.outboxTable());
            }
            return outboxIds(c, config);
        }
    }

    /** The ids of every row in the outbox table. */
    static Set<String> outboxIds(Connection c, OutboxConfig config) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM " + config.outboxTable())) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** Rows left in the outbox table. */
    static long backlog(DataSource ds, OutboxConfig config) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + config.outboxTable())) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** How often each outbox message id (entry field {@code id}) occurs in stream {@code key}. */
    static Map<String, Integer> idCounts(RedisCommands<String, String> redis, String key) {
        Map<String, Integer> counts = new HashMap<>();
        String from = "-";
        while (true) {
            List<StreamMessage<String, String>> page = redis.xrange(key,
                    Range.create(from, "+"), Limit.from(10_000));
            for (StreamMessage<String, String> m : page) {
                if (!m.getId().equals(from)) {
                    counts.merge(m.getBody().get("id"), 1, Integer::sum);
                }
            }
            if (page.size() < 10_000) {
                return counts;
            }
            from = page.get(page.size() - 1).getId();
        }
    }

    /** The verdict on a stream against the ids sent: how many are missing and how many extra copies it has. */
    record Delivery(long sent, long published, long lost, long duplicates) {
        static Delivery of(Set<String> sent, Map<String, Integer> counts) {
            long lost = sent.stream().filter(id -> !counts.containsKey(id)).count();
            long duplicates = counts.values().stream().mapToLong(n -> n - 1L).sum();
            long unknown = counts.keySet().stream().filter(id -> !sent.contains(id)).count();
            if (unknown > 0) {
                throw new AssertionError(unknown + " stream entries carry ids that were never sent");
            }
            return new Delivery(sent.size(), counts.size(), lost, duplicates);
        }
    }

    /** Deletes every key starting with {@code prefix} (UNLINK, in SCAN pages). */
    static void deleteKeys(RedisCommands<String, String> redis, String prefix) {
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(10_000));
            if (!page.getKeys().isEmpty()) {
                redis.unlink(page.getKeys().toArray(String[]::new));
            }
            cursor = page;
        } while (!cursor.isFinished());
    }
}
