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
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
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
import org.projectbeacon.outbox.redis.RedisConnection;
import org.projectbeacon.outbox.redis.RedisConnector;
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
 * <p>With {@code --cluster redis+cluster://host:port,...} and {@code --only cluster} it runs the Redis
 * Cluster rows instead: Beacon draining into a stream split into {@code --partitions} (default 6)
 * partitions on the cluster, each beside the same configuration on the single Redis (same partitions,
 * same run, so only the topology differs). They go to their own section of the document, so the
 * single-Redis table stays as its own run wrote it.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.projectbeacon.benchmarks.OutboxDrainBenchmark \
 *     [--messages 200000] [--gruelbox-messages 20000] [--only raw,beacon,gruelbox] [--doc docs/BENCHMARKS.md]
 * java -cp benchmarks/target/benchmarks.jar org.projectbeacon.benchmarks.OutboxDrainBenchmark --only cluster \
 *     --cluster redis+cluster://127.0.0.1:7000 [--partitions 6] [--cluster-workers 2,4] [--cluster-batch 1000]
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

    /** Default partitions of the cluster rows' stream: two per master of a 3-master cluster. */
    static final int DEFAULT_PARTITIONS = 6;

    /** Where a Beacon scenario drains to: a connector, an admin connection on it, and a name for the table. */
    record Target(String name, RedisConnector connector, RedisConnection<String, byte[]> admin) {
        static Target open(String name, RedisConnector connector) {
            return new Target(name, connector, connector.connect(CODEC));
        }

        void close() {
            admin.close();
            connector.close();
        }
    }

    private final String pgUrl;
    private final String redisUri;
    private final RedisClient redis;
    /** The single Redis, seen through the same connector type as the cluster. */
    private final Target single;

    OutboxDrainBenchmark(String pgUrl, String redisUri) {
        this.pgUrl = pgUrl;
        this.redisUri = redisUri;
        this.redis = RedisClient.create(redisUri);
        this.single = Target.open("single Redis", RedisConnector.of(redis));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: --messages N --gruelbox-messages N --only raw,beacon,gruelbox --warmup N"
                        + " --workers 1,2,4 --batches 500,1000 --doc PATH --cluster URI --partitions N"
                        + " --cluster-workers 2,4 --cluster-batch 1000; got " + args[i]);
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
        String clusterUri = opts.get("cluster");
        int partitions = Integer.parseInt(opts.getOrDefault("partitions", Integer.toString(DEFAULT_PARTITIONS)));
        int[] clusterWorkers = Arrays.stream(opts.getOrDefault("cluster-workers", "2,4").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int clusterBatch = Integer.parseInt(opts.getOrDefault("cluster-batch", "1000"));
        if (only.contains("cluster") && clusterUri == null) {
            throw new IllegalArgumentException("--only cluster needs --cluster redis+cluster://host:port,... but none was given");
        }
        String pg = env("BEACON_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        String ru = env("BEACON_REDIS_URI", "redis://127.0.0.1:6379");

        OutboxDrainBenchmark b = new OutboxDrainBenchmark(pg, ru);
        int warm = Integer.parseInt(opts.getOrDefault("warmup", "20000"));
        List<Result> results = new ArrayList<>();
        List<Result> clusterResults = new ArrayList<>();
        String clusterHeader = null;
        Target cluster = clusterUri == null ? null : Target.open("Redis Cluster", RedisConnector.create(asCluster(clusterUri)));
        try {
            if (warm > 0 && only.stream().anyMatch(List.of("raw", "beacon", "gruelbox")::contains)) {
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
            if (only.contains("cluster")) {
                clusterHeader = clusterHeader(n, partitions, cluster, args);
                if (warm > 0) {
                    // JIT warm-up of the partitioned paths on both topologies; not reported.
                    System.out.println("cluster warm-up (" + warm + " messages on each topology, not reported):");
                    b.beacon(b.single, partitions, warm, 2, clusterBatch, true, true);
                    b.beacon(cluster, partitions, warm, 2, clusterBatch, true, true);
                }
                for (int w : clusterWorkers) {
                    clusterResults.add(b.beacon(b.single, partitions, n, w, clusterBatch, true, true));
                    clusterResults.add(b.beacon(cluster, partitions, n, w, clusterBatch, true, true));
                }
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            b.close();
        }
        if (!results.isEmpty()) {
            String table = table(results);
            System.out.println();
            System.out.println(table);
            if (doc != null) {
                writeDoc(Path.of(doc), "## Outbox drain", BEGIN, END, header(n, gn, args) + table);
            }
        }
        if (!clusterResults.isEmpty()) {
            String table = clusterTable(clusterResults);
            System.out.println();
            System.out.println(table);
            if (doc != null) {
                writeDoc(Path.of(doc), "### Redis Cluster", CLUSTER_BEGIN, CLUSTER_END, clusterHeader + table);
            }
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
        return beacon(single, 1, n, workers, batch, dedup, fastCommit);
    }

    /**
     * As {@link #beacon(int, int, int, boolean, boolean)} into {@code target}, the stream split into
     * {@code partitions} partitions (1: one stream, the single-Redis rows' layout).
     */
    Result beacon(Target target, int partitions, int n, int workers, int batch, boolean dedup, boolean fastCommit)
            throws Exception {
        String variant = (dedup ? "" : "_nd") + (fastCommit ? "" : "_dc")
                + (partitions > 1 ? "_p" + partitions : "") + (target.connector().cluster() ? "_c" : "");
        String prefix = "bench_b" + workers + "_" + batch + variant + "_";
        String keyPrefix = "bench:b" + workers + "_" + batch + variant + ":";
        RedisSinkConfig.Builder sinkConfig = RedisSinkConfig.builder().keyPrefix(keyPrefix).dedup(dedup)
                .connections(Math.max(2, workers));
        if (partitions > 1) {
            sinkConfig.partitions(STREAM, partitions);
        }
        RedisSinkConfig sc = sinkConfig.build();
        try (HikariDataSource ds = pool(workers + 2)) {
            OutboxConfig oc = outboxConfig(prefix);
            dropBeacon(ds, oc);
            Outbox.create(oc).migrate(ds);
            preloadBeacon(ds, oc, n);
            deleteKeys(target, keyPrefix + "*");
            RedisStreamSink sink = RedisStreamSink.create(target.connector(), sc);
            OutboxPublisher publisher = OutboxPublisher.builder(ds, oc, sink)
                    .config(PublisherConfig.builder().workers(workers).batchSize(batch)
                            .fastBookkeepingCommit(fastCommit).build()).build();
            String before = load();
            long start = System.nanoTime();
            publisher.start();
            double secs = awaitStream(target, sc.streamKeys(STREAM), n, start);
            String after = load();
            publisher.close();
            sink.close();
            Result r = new Result("Beacon, " + workers + " worker" + (workers > 1 ? "s" : "") + ", batch " + batch
                    + (dedup ? "" : ", dedup OFF (diagnostic)")
                    + (fastCommit ? "" : ", durable bookkeeping commits (diagnostic)")
                    + (partitions > 1 ? ", " + target.name() + ", " + partitions + " partitions" : ""),
                    "beacon", workers, batch, n, secs, before, after);
            print(r);
            dropBeacon(ds, oc);
            deleteKeys(target, keyPrefix + "*");
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
        deleteKeys(single, pattern);
    }

    /** Unlinks {@code pattern} (a key, or a SCAN pattern; on a cluster Lettuce scans every master). */
    static void deleteKeys(Target target, String pattern) {
        RedisClusterCommands<String, byte[]> sync = target.admin().sync();
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
        return awaitStream(single, List.of(key), n, start);
    }

    /** Seconds from {@code start} until the XLENs of {@code keys} (a stream's partitions) add up to {@code n}. */
    static double awaitStream(Target target, List<String> keys, int n, long start) {
        RedisClusterCommands<String, byte[]> sync = target.admin().sync();
        String key = String.join(",", keys);
        long deadline = start + TimeUnit.MINUTES.toNanos(10);
        long lastLog = start;
        while (true) {
            long len = 0;
            for (String k : keys) {
                len += sync.xlen(k);
            }
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

    /** Rows in pairs (single Redis, then cluster, same configuration); the cluster row shows its ratio to its pair. */
    static String clusterTable(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| scenario | messages | seconds | messages/s | cluster / single Redis | load avg before → after (1/5/15 min) |\n");
        sb.append("|---|---:|---:|---:|---:|---|\n");
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            String vs = i % 2 == 1 ? ratio(r.rate(), results.get(i - 1).rate()) : "–";
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.0f | %s | %s → %s |%n", r.scenario(), r.messages(),
                    r.seconds(), r.rate(), vs, r.loadBefore(), r.loadAfter()));
        }
        return sb.toString();
    }

    static String ratio(double a, double b) {
        return Double.isNaN(b) ? "n/a" : String.format(Locale.ROOT, "%.2f×", a / b);
    }

    // ---------------------------------------------------------------- docs/BENCHMARKS.md

    static final String BEGIN = "<!-- drain-results:begin (written by OutboxDrainBenchmark) -->";
    static final String END = "<!-- drain-results:end -->";
    static final String CLUSTER_BEGIN = "<!-- drain-cluster-results:begin (written by OutboxDrainBenchmark) -->";
    static final String CLUSTER_END = "<!-- drain-cluster-results:end -->";

    void close() {
        single.close();
        redis.shutdown();
    }

    /** Date, machine and command lines that open a results section. */
    static String runLines(String[] args) {
        String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        return "Run " + date + " on " + machine() + "\n\n"
                + "Command: `java -cp benchmarks/target/benchmarks.jar org.projectbeacon.benchmarks.OutboxDrainBenchmark "
                + String.join(" ", args) + "`\n\n";
    }

    static String header(int n, int gn, String[] args) {
        StringBuilder sb = new StringBuilder(runLines(args));
        if (fillfactor != null) {
            sb.append("Experiment: outbox tables altered to fillfactor ").append(fillfactor).append(" before the preload.\n\n");
        }
        sb.append("Preload: ").append(n).append(" messages (gruelbox: ").append(gn)
                .append(") of 64 bytes, unkeyed, one stream. Time = start of publishing until XLEN reaches the preload.\n\n");
        return sb.toString();
    }

    static String clusterHeader(int n, int partitions, Target cluster, String[] args) {
        String nodes = cluster.admin().sync().clusterNodes();
        long masters = nodes.lines().filter(l -> l.contains("master") && !l.contains("fail")).count();
        long replicas = nodes.lines().filter(l -> l.contains("slave")).count();
        return runLines(args) + "Preload: " + n + " messages of 64 bytes, unkeyed, one logical stream split into "
                + partitions + " partitions (`drain:{0}` … `drain:{" + (partitions - 1) + "}`, a message's partition"
                + " = crc32(id) mod " + partitions + "). Redis Cluster: " + masters + " masters, " + replicas
                + " replicas, on this machine. Time = start of publishing until the partitions' XLENs add up to the"
                + " preload. Each cluster row follows the same configuration on the single Redis, run just before it.\n\n";
    }

    /** Replaces the text between {@code begin} and {@code end} in {@code doc} (appending it under {@code heading} if missing). */
    static void writeDoc(Path doc, String heading, String begin, String end, String body) throws Exception {
        String sb = begin + "\n\n" + body + "\n" + end;
        String text = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n";
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        if (b < 0 || e < 0) {
            text = text + "\n" + heading + "\n\n" + sb + "\n";
        } else {
            text = text.substring(0, b) + sb + text.substring(e + end.length());
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

    /**
     * {@code uri} as a cluster URI: {@code BEACON_REDIS_CLUSTER_URI} (scripts/redis-topologies.sh) names a
     * seed node as {@code redis://host:port}, which {@link RedisConnector#create} would treat as one server.
     */
    static String asCluster(String uri) {
        int colon = uri.indexOf("://");
        if (colon < 0) {
            throw new IllegalArgumentException("--cluster must be a redis:// or redis+cluster:// URI but had no scheme");
        }
        String scheme = uri.substring(0, colon);
        return scheme.endsWith(RedisConnector.CLUSTER_SCHEME_SUFFIX) ? uri
                : scheme + RedisConnector.CLUSTER_SCHEME_SUFFIX + uri.substring(colon);
    }

    static String env(String name, String def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : v;
    }
}
