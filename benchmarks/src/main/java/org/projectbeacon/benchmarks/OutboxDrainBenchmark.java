package org.projectbeacon.benchmarks;

import com.gruelbox.transactionoutbox.Dialect;
import com.gruelbox.transactionoutbox.Instantiator;
import com.gruelbox.transactionoutbox.Persistor;
import com.gruelbox.transactionoutbox.Submitter;
import com.gruelbox.transactionoutbox.ThreadLocalContextTransactionManager;
import com.gruelbox.transactionoutbox.TransactionManager;
import com.gruelbox.transactionoutbox.TransactionOutbox;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.projectbeacon.outbox.Outbox;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.OutboxPublisher;
import org.projectbeacon.outbox.PublisherConfig;
import org.projectbeacon.outbox.redis.RedisSinkConfig;
import org.projectbeacon.outbox.redis.RedisStreamSink;
import org.projectbeacon.outbox.spi.OutboxDialect;

/**
 * Outbox drain: preload N 64-byte messages in PostgreSQL, then time until all of them are in a Redis
 * stream (polling XLEN), for a raw JDBC + Lettuce loop, Beacon's publisher and gruelbox
 * transaction-outbox, all in one run against the same database and Redis. Not JMH: one wall-clock
 * measurement over a large backlog per scenario. Each scenario has its own tables and stream key and
 * removes them afterwards.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.projectbeacon.benchmarks.OutboxDrainBenchmark \
 *     [--messages 200000] [--gruelbox-messages 20000] [--only raw,beacon,gruelbox] [--doc docs/BENCHMARKS.md]
 * </pre>
 */
public final class OutboxDrainBenchmark {

    static final int PAYLOAD_BYTES = 64;
    static final String STREAM = "drain";
    static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    record Result(String scenario, String impl, int workers, int batch, int messages, double seconds,
            String loadBefore, String loadAfter) {
        double rate() {
            return messages / seconds;
        }
    }

    /** When set (experiments only), ALTER TABLE ... SET (fillfactor = x) on the outbox table before the preload. */
    static String fillfactor;

    private final String pgUrl;
    private final String redisUri;
    private final RedisClient redis;
    private final StatefulRedisConnection<String, byte[]> admin;

    OutboxDrainBenchmark(String pgUrl, String redisUri) {
        this.pgUrl = pgUrl;
        this.redisUri = redisUri;
        this.redis = RedisClient.create(redisUri);
        this.admin = redis.connect(CODEC);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: --messages N --gruelbox-messages N --only raw,beacon,gruelbox --warmup N"
                        + " --workers 1,2,4 --batches 500,1000 --doc PATH; got " + args[i]);
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        int n = Integer.parseInt(opts.getOrDefault("messages", "200000"));
        int gn = Integer.parseInt(opts.getOrDefault("gruelbox-messages", "20000"));
        List<String> only = Arrays.asList(opts.getOrDefault("only", "raw,beacon,gruelbox").split(","));
        int[] workers = Arrays.stream(opts.getOrDefault("workers", "1,2,4").split(",")).mapToInt(Integer::parseInt).toArray();
        int[] batches = Arrays.stream(opts.getOrDefault("batches", "500,1000").split(",")).mapToInt(Integer::parseInt).toArray();
        String doc = opts.get("doc");
        fillfactor = opts.get("fillfactor");
        String pg = env("BEACON_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        String ru = env("BEACON_REDIS_URI", "redis://127.0.0.1:6379");

        OutboxDrainBenchmark b = new OutboxDrainBenchmark(pg, ru);
        int warm = Integer.parseInt(opts.getOrDefault("warmup", "20000"));
        List<Result> results = new ArrayList<>();
        try {
            if (warm > 0) {
                // JIT warm-up of both JDBC/Lettuce paths; not reported.
                System.out.println("warm-up (" + warm + " messages, not reported):");
                b.raw(warm, 2, 500);
                b.beacon(warm, 2, 500, true, true);
            }
            if (only.contains("raw")) {
                for (int w : new int[] {1, 2}) {
                    results.add(b.raw(n, w, 500));
                }
            }
            if (only.contains("beacon")) {
                for (int w : workers) {
                    for (int batch : batches) {
                        results.add(b.beacon(n, w, batch, true, true));
                    }
                }
                // Diagnostic, not a configuration to recommend: what the Lua de-duplication costs.
                results.add(b.beacon(n, 2, 500, false, true));
                // Diagnostic: the same best configuration waiting for the WAL flush at every claim and acknowledgement.
                results.add(b.beacon(n, 4, 500, true, false));
            }
            if (only.contains("gruelbox")) {
                for (int w : new int[] {1, 4}) {
                    results.add(b.gruelbox(gn, w));
                }
            }
        } finally {
            b.close();
        }
        String table = table(results);
        System.out.println();
        System.out.println(table);
        if (doc != null) {
            writeDoc(Path.of(doc), n, gn, args, table);
        }
    }

    // ---------------------------------------------------------------- scenarios

    /** Plain JDBC + Lettuce: per batch one transaction deleting 500 rows with SKIP LOCKED (RETURNING), pipelined XADD, commit. */
    Result raw(int n, int workers, int batch) throws Exception {
        String prefix = "bench_raw" + workers + "_";
        String key = "bench:raw" + workers + ":" + STREAM;
        try (HikariDataSource ds = pool(workers + 1)) {
            OutboxConfig oc = outboxConfig(prefix);
            dropBeacon(ds, oc);
            Outbox.create(oc).migrate(ds);
            preloadBeacon(ds, oc, n);
            deleteKeys(key);
            String sql = "DELETE FROM " + oc.outboxTable() + " WHERE seq IN (SELECT seq FROM " + oc.outboxTable()
                    + " ORDER BY seq LIMIT " + batch + " FOR UPDATE SKIP LOCKED) RETURNING id, content_type, payload";
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(workers);
            String before = load();
            long start = System.nanoTime();
            for (int i = 0; i < workers; i++) {
                pool.submit(() -> {
                    try (Connection c = ds.getConnection(); StatefulRedisConnection<String, byte[]> rc = redis.connect(CODEC)) {
                        rc.setAutoFlushCommands(false);
                        RedisAsyncCommands<String, byte[]> async = rc.async();
                        c.setAutoCommit(false);
                        try (PreparedStatement ps = c.prepareStatement(sql)) {
                            while (running.get()) {
                                List<RedisFuture<String>> fs = new ArrayList<>(batch);
                                try (ResultSet rs = ps.executeQuery()) {
                                    while (rs.next()) {
                                        Map<String, byte[]> body = new LinkedHashMap<>();
                                        body.put("id", rs.getString(1).getBytes(StandardCharsets.UTF_8));
                                        body.put("content-type", rs.getString(2).getBytes(StandardCharsets.UTF_8));
                                        body.put("payload", rs.getBytes(3));
                                        fs.add(async.xadd(key, body));
                                    }
                                }
                                rc.flushCommands();
                                for (RedisFuture<String> f : fs) {
                                    f.get(10, TimeUnit.SECONDS);
                                }
                                c.commit();
                                if (fs.isEmpty()) {
                                    Thread.sleep(5);
                                }
                            }
                        }
                    }
                    return null;
                });
            }
            double secs = awaitStream(key, n, start);
            String after = load();
            running.set(false);
            pool.shutdown();
            pool.awaitTermination(30, TimeUnit.SECONDS);
            Result r = new Result("raw loop, " + workers + " worker" + (workers > 1 ? "s" : ""), "raw", workers, batch, n, secs, before, after);
            print(r);
            dropBeacon(ds, oc);
            deleteKeys(key);
            return r;
        }
    }

    /** Beacon's OutboxPublisher + RedisStreamSink, defaults except workers and batch size (dedup on). */
    Result beacon(int n, int workers, int batch, boolean dedup, boolean fastCommit) throws Exception {
        String variant = (dedup ? "" : "_nd") + (fastCommit ? "" : "_dc");
        String prefix = "bench_b" + workers + "_" + batch + variant + "_";
        String keyPrefix = "bench:b" + workers + "_" + batch + variant + ":";
        String key = keyPrefix + STREAM;
        try (HikariDataSource ds = pool(workers + 2)) {
            OutboxConfig oc = outboxConfig(prefix);
            dropBeacon(ds, oc);
            Outbox.create(oc).migrate(ds);
            preloadBeacon(ds, oc, n);
            deleteKeys(keyPrefix + "*");
            RedisStreamSink sink = RedisStreamSink.create(redis, RedisSinkConfig.builder().keyPrefix(keyPrefix).dedup(dedup)
                    .connections(Math.max(2, workers)).build());
            OutboxPublisher publisher = OutboxPublisher.builder(ds, oc, sink)
                    .config(PublisherConfig.builder().workers(workers).batchSize(batch)
                            .fastBookkeepingCommit(fastCommit).build()).build();
            String before = load();
            long start = System.nanoTime();
            publisher.start();
            double secs = awaitStream(key, n, start);
            String after = load();
            publisher.close();
            sink.close();
            Result r = new Result("Beacon, " + workers + " worker" + (workers > 1 ? "s" : "") + ", batch " + batch
                    + (dedup ? "" : ", dedup OFF (diagnostic)")
                    + (fastCommit ? "" : ", durable bookkeeping commits (diagnostic)"),
                    "beacon", workers, batch, n, secs, before, after);
            print(r);
            dropBeacon(ds, oc);
            deleteKeys(keyPrefix + "*");
            return r;
        }
    }

    /** gruelbox transaction-outbox 4.2.268, PostgreSQL dialect; each invocation XADDs to the stream. */
    Result gruelbox(int n, int threads) throws Exception {
        String key = "bench:gruelbox" + threads + ":" + STREAM;
        try (HikariDataSource ds = pool(threads + 3);
                StatefulRedisConnection<String, byte[]> rc = redis.connect(CODEC)) {
            dropGruelbox(ds);
            deleteKeys(key);
            GruelboxTarget.commands = rc.sync();
            GruelboxTarget.streamKey = key;
            GruelboxTarget target = new GruelboxTarget();
            ThreadLocalContextTransactionManager tm = TransactionManager.fromDataSource(ds);
            // Preload: schedule one invocation through the API (no submitter, so it stays in the table),
            // then copy its row N - 1 times in SQL, due now.
            TransactionOutbox loader = TransactionOutbox.builder().transactionManager(tm)
                    .persistor(Persistor.forDialect(Dialect.POSTGRESQL_9)).instantiator(Instantiator.using(c -> target))
                    .submitter((entry, local) -> { }).build();
            tm.inTransaction(() -> loader.schedule(GruelboxTarget.class).publish(payload(0)));
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO txno_outbox (id, uniqueRequestId, invocation, lastAttemptTime, nextAttemptTime,"
                        + " attempts, blocked, processed, version) SELECT gen_random_uuid()::text, NULL, invocation, NULL,"
                        + " now() - interval '1 minute', 0, false, false, 1 FROM txno_outbox, generate_series(2, " + n + ")");
                st.executeUpdate("UPDATE txno_outbox SET nextAttemptTime = now() - interval '1 minute'");
                st.execute("ANALYZE txno_outbox");
            }
            ExecutorService exec = Executors.newFixedThreadPool(threads);
            TransactionOutbox outbox = TransactionOutbox.builder().transactionManager(tm)
                    .persistor(Persistor.forDialect(Dialect.POSTGRESQL_9)).instantiator(Instantiator.using(c -> target))
                    .submitter(Submitter.withExecutor(exec)).flushBatchSize(4096).attemptFrequency(Duration.ofMinutes(5))
                    .logLevelTemporaryFailure(org.slf4j.event.Level.DEBUG).build();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread flusher = new Thread(() -> {
                while (running.get()) {
                    // Keep the executor's queue short so the flush does not claim everything at once.
                    if (((java.util.concurrent.ThreadPoolExecutor) exec).getQueue().size() > 2048) {
                        sleep(2);
                        continue;
                    }
                    if (!outbox.flush()) {
                        sleep(5);
                    }
                }
            }, "gruelbox-flusher");
            String before = load();
            long start = System.nanoTime();
            flusher.start();
            double secs = awaitStream(key, n, start);
            String after = load();
            running.set(false);
            flusher.join(30_000);
            exec.shutdown();
            exec.awaitTermination(30, TimeUnit.SECONDS);
            Result r = new Result("gruelbox, " + threads + " processing thread" + (threads > 1 ? "s" : ""), "gruelbox",
                    threads, 0, n, secs, before, after);
            print(r);
            dropGruelbox(ds);
            deleteKeys(key);
            return r;
        }
    }

    /** The gruelbox invocation target: one synchronous XADD per message. */
    public static class GruelboxTarget {
        static volatile RedisCommands<String, byte[]> commands;
        static volatile String streamKey;

        public void publish(String payload) {
            Map<String, byte[]> body = new LinkedHashMap<>();
            body.put("content-type", "application/octet-stream".getBytes(StandardCharsets.UTF_8));
            body.put("payload", payload.getBytes(StandardCharsets.UTF_8));
            commands.xadd(streamKey, body);
        }
    }

    // ---------------------------------------------------------------- helpers

    static OutboxConfig outboxConfig(String prefix) {
        return OutboxConfig.builder().dialect(OutboxDialect.postgresql()).tablePrefix(prefix).build();
    }

    HikariDataSource pool(int size) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(pgUrl);
        hc.setMaximumPoolSize(size);
        hc.setMinimumIdle(1);
        hc.setPoolName("drain");
        return new HikariDataSource(hc);
    }

    static String payload(int i) {
        StringBuilder sb = new StringBuilder(PAYLOAD_BYTES);
        sb.append(i);
        while (sb.length() < PAYLOAD_BYTES) {
            sb.append('x');
        }
        return sb.toString();
    }

    /**
     * N rows as {@code Outbox.enqueue} writes them (id, stream, no key, 64-byte payload, content type,
     * no headers, created/available now, 0 attempts), inserted server-side 50k rows per statement.
     */
    static void preloadBeacon(DataSource ds, OutboxConfig oc, int n) throws SQLException {
        long t0 = System.nanoTime();
        try (Connection c = ds.getConnection()) {
            if (fillfactor != null) {
                try (Statement st = c.createStatement()) {
                    st.execute("ALTER TABLE " + oc.outboxTable() + " SET (fillfactor = " + Integer.parseInt(fillfactor) + ")");
                }
            }
            long now = System.currentTimeMillis();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + oc.outboxTable()
                    + " (id, stream, msg_key, payload, content_type, headers, created_at, available_at, attempts, history)"
                    + " SELECT gen_random_uuid()::text, ?, NULL, convert_to(rpad(g::text, " + PAYLOAD_BYTES + ", 'x'), 'UTF8'),"
                    + " 'application/octet-stream', NULL, ?, ?, 0, NULL FROM generate_series(?, ?) g")) {
                for (int from = 1; from <= n; from += 50_000) {
                    ps.setString(1, STREAM);
                    ps.setLong(2, now);
                    ps.setLong(3, now);
                    ps.setInt(4, from);
                    ps.setInt(5, Math.min(n, from + 49_999));
                    ps.executeUpdate();
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("ANALYZE " + oc.outboxTable());

            }
        }
        System.out.printf(Locale.ROOT, "  preloaded %d rows into %s in %.1f s%n", n, oc.outboxTable(), (System.nanoTime() - t0) / 1e9);
    }

    static void dropBeacon(DataSource ds, OutboxConfig oc) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + oc.outboxTable() + ", " + oc.deadLetterTable());
            st.execute("DROP FUNCTION IF EXISTS " + oc.tablePrefix() + "outbox_notify() CASCADE");
        }
    }

    static void dropGruelbox(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS txno_outbox, txno_version");
        }
    }

    void deleteKeys(String pattern) {
        RedisCommands<String, byte[]> sync = admin.sync();
        if (!pattern.contains("*")) {
            sync.unlink(pattern);
            return;
        }
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = sync.scan(cursor, ScanArgs.Builder.matches(pattern).limit(10_000));
            if (!page.getKeys().isEmpty()) {
                sync.unlink(page.getKeys().toArray(String[]::new));
            }
            cursor = page;
        } while (!cursor.isFinished());
    }

    /** Seconds from {@code start} until XLEN {@code key} reaches {@code n}; fails after 10 minutes. */
    double awaitStream(String key, int n, long start) {
        RedisCommands<String, byte[]> sync = admin.sync();
        long deadline = start + TimeUnit.MINUTES.toNanos(10);
        long lastLog = start;
        while (true) {
            long len = sync.xlen(key);
            long now = System.nanoTime();
            if (len >= n) {
                return (now - start) / 1e9;
            }
            if (now > deadline) {
                throw new IllegalStateException("stream " + key + " has " + len + " of " + n + " entries after 10 min");
            }
            if (now - lastLog > TimeUnit.SECONDS.toNanos(10)) {
                System.out.printf(Locale.ROOT, "  ... %d/%d after %.0f s%n", len, n, (now - start) / 1e9);
                lastLog = now;
            }
            sleep(2);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String load() {
        try {
            String s = Files.readString(Path.of("/proc/loadavg")).trim();
            String[] p = s.split(" ");
            return p[0] + " " + p[1] + " " + p[2];
        } catch (IOException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    static void print(Result r) {
        System.out.printf(Locale.ROOT, "%-40s %8d msgs %8.2f s %10.0f msg/s  (load %s -> %s)%n", r.scenario(), r.messages(),
                r.seconds(), r.rate(), r.loadBefore(), r.loadAfter());
    }

    static String table(List<Result> results) {
        double raw = results.stream().filter(r -> r.impl().equals("raw")).mapToDouble(Result::rate).max().orElse(Double.NaN);
        double gruel = results.stream().filter(r -> r.impl().equals("gruelbox")).mapToDouble(Result::rate).max().orElse(Double.NaN);
        StringBuilder sb = new StringBuilder();
        sb.append("| scenario | messages | seconds | messages/s | vs best raw | vs best gruelbox | load avg before → after (1/5/15 min) |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---|\n");
        for (Result r : results) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.0f | %s | %s | %s → %s |%n", r.scenario(), r.messages(),
                    r.seconds(), r.rate(), ratio(r.rate(), raw), ratio(r.rate(), gruel), r.loadBefore(), r.loadAfter()));
        }
        return sb.toString();
    }

    static String ratio(double a, double b) {
        return Double.isNaN(b) ? "n/a" : String.format(Locale.ROOT, "%.2f×", a / b);
    }

    // ---------------------------------------------------------------- docs/BENCHMARKS.md

    static final String BEGIN = "<!-- drain-results:begin (written by OutboxDrainBenchmark) -->";
    static final String END = "<!-- drain-results:end -->";

    void close() {
        admin.close();
        redis.shutdown();
    }

    static void writeDoc(Path doc, int n, int gn, String[] args, String table) throws Exception {
        String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        StringBuilder sb = new StringBuilder(BEGIN).append("\n\n");
        sb.append("Run ").append(date).append(" on ").append(machine()).append("\n\n");
        sb.append("Command: `java -cp benchmarks/target/benchmarks.jar org.projectbeacon.benchmarks.OutboxDrainBenchmark ")
                .append(String.join(" ", args)).append("`\n\n");
        if (fillfactor != null) {
            sb.append("Experiment: outbox tables altered to fillfactor ").append(fillfactor).append(" before the preload.\n\n");
        }
        sb.append("Preload: ").append(n).append(" messages (gruelbox: ").append(gn)
                .append(") of 64 bytes, unkeyed, one stream. Time = start of publishing until XLEN reaches the preload.\n\n");
        sb.append(table).append("\n").append(END);
        String text = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n\n## Outbox drain\n\n" + BEGIN + "\n" + END + "\n";
        int b = text.indexOf(BEGIN);
        int e = text.indexOf(END);
        if (b < 0 || e < 0) {
            text = text + "\n## Outbox drain\n\n" + sb + "\n";
        } else {
            text = text.substring(0, b) + sb + text.substring(e + END.length());
        }
        Files.createDirectories(doc.toAbsolutePath().getParent());
        Files.writeString(doc, text);
        System.out.println("updated " + doc);
    }

    static String machine() {
        String mem = "?";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    mem = Math.round(Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0) + " GiB";
                }
            }
        } catch (IOException | NumberFormatException e) {
            // leave "?"
        }
        return Runtime.getRuntime().availableProcessors() + " cores, " + mem + " RAM, Java "
                + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name") + ")";
    }

    static String env(String name, String def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : v;
    }
}
