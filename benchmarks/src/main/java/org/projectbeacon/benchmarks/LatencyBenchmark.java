package org.projectbeacon.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.ds.PGSimpleDataSource;
import org.projectbeacon.outbox.Outbox;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.OutboxMessage;
import org.projectbeacon.outbox.OutboxPublisher;
import org.projectbeacon.outbox.PublisherConfig;
import org.projectbeacon.outbox.RedisSinkConfig;
import org.projectbeacon.outbox.RedisStreamSink;

/**
 * Outbox latency: a producer process enqueues about 1,000 messages a second in PostgreSQL (each in
 * its own transaction, two threads of 500 a second), this process publishes them with Beacon's
 * publisher (1 worker) and reads the stream with {@code XREAD BLOCK}; the latency of a message is
 * the time from just before its transaction's {@code COMMIT} (carried in the payload, microseconds)
 * to the moment the consumer reads its entry. Measured with LISTEN/NOTIFY on, then off (wake-up by
 * the poll interval alone, {@link PublisherConfig#DEFAULT_POLL_INTERVAL}). Prints a markdown table.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.projectbeacon.benchmarks.LatencyBenchmark [seconds]
 * </pre>
 */
public final class LatencyBenchmark {

    static final int WARM_UP_SECONDS = 5;

    private LatencyBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--producer")) {
            produce(args[1], args[2], Integer.parseInt(args[3]));
            return;
        }
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        String pg = OutboxDrainBenchmark.env("BEACON_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        String redisUri = OutboxDrainBenchmark.env("BEACON_REDIS_URI", "redis://127.0.0.1:6379");
        List<String> rows = new ArrayList<>();
        for (boolean listen : new boolean[] {true, false}) {
            rows.add(run(pg, redisUri, listen, seconds));
        }
        System.out.println();
        System.out.println("| LISTEN/NOTIFY | goal | messages measured | producer rate | p50 | p90 | p99 | max | result |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---|");
        rows.forEach(System.out::println);
        System.out.println();
    }

    private static String run(String pg, String redisUri, boolean listen, int seconds) throws Exception {
        String prefix = "bench_lat_" + (listen ? "on" : "off") + "_";
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(pg);
        OutboxConfig config = OutboxDrainBenchmark.outboxConfig(prefix);
        OutboxDrainBenchmark.dropBeacon(ds, config);
        Outbox.create(config).migrate(ds);
        RedisClient client = RedisClient.create(redisUri);
        String keyPrefix = "bench:lat:" + (listen ? "on" : "off") + ":";
        RedisStreamSink sink = RedisStreamSink.create(client, RedisSinkConfig.builder().keyPrefix(keyPrefix).build());
        OutboxPublisher publisher = OutboxPublisher.builder(ds, config, sink)
                .config(PublisherConfig.builder().listenNotify(listen).build()).build();
        List<Long> micros = new ArrayList<>();
        long sent = 0;
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            redis.del(keyPrefix + "latency");
            publisher.start();
            String java = ProcessHandle.current().info().command().orElse("java");
            Process producer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    LatencyBenchmark.class.getName(), "--producer", pg, prefix, Integer.toString(WARM_UP_SECONDS + seconds))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            long measureFrom = Instant.EPOCH.until(Instant.now().plusSeconds(WARM_UP_SECONDS + 1), ChronoUnit.MICROS);
            String last = "0-0";
            long idleSince = System.nanoTime();
            while (producer.isAlive() || System.nanoTime() - idleSince < TimeUnit.SECONDS.toNanos(3)) {
                List<StreamMessage<String, String>> entries = redis.xread(XReadArgs.Builder.block(200).count(1_000),
                        XReadArgs.StreamOffset.from(keyPrefix + "latency", last));
                long now = Instant.EPOCH.until(Instant.now(), ChronoUnit.MICROS);
                if (entries.isEmpty()) {
                    continue;
                }
                idleSince = System.nanoTime();
                for (StreamMessage<String, String> m : entries) {
                    long committedAt = Long.parseLong(m.getBody().get("payload"));
                    if (committedAt >= measureFrom) {
                        micros.add(now - committedAt);
                    }
                    last = m.getId();
                }
            }
            try (BufferedReader out = new BufferedReader(new InputStreamReader(producer.getInputStream(), StandardCharsets.UTF_8))) {
                sent = Long.parseLong(out.readLine().trim());
            }
            publisher.close();
            redis.del(keyPrefix + "latency");
            for (String k : redis.keys(keyPrefix + "*")) {
                redis.unlink(k);
            }
        } finally {
            sink.close();
            client.shutdown();
            OutboxDrainBenchmark.dropBeacon(ds, config);
        }
        micros.sort(null);
        double rate = sent / (double) (WARM_UP_SECONDS + seconds);
        double p99 = pct(micros, 0.99);
        return String.format(Locale.ROOT, "| %s | %s | %d | %.0f msg/s | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %s |",
                listen ? "on" : "off (poll every " + PublisherConfig.DEFAULT_POLL_INTERVAL.toMillis() + " ms)",
                listen ? "p99 ≤ 20 ms" : "–", micros.size(), rate, pct(micros, 0.50), pct(micros, 0.90), p99,
                micros.isEmpty() ? Double.NaN : micros.get(micros.size() - 1) / 1000.0,
                listen ? (p99 <= 20 ? "met" : "not met") : "reference");
    }

    private static double pct(List<Long> sorted, double q) {
        return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size()))) / 1000.0;
    }

    /** The producer process: two threads of 500 messages a second, each message its own transaction. */
    private static void produce(String pg, String prefix, int seconds) throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(pg);
        Outbox outbox = Outbox.create(OutboxDrainBenchmark.outboxConfig(prefix));
        long[] counts = new long[2];
        Thread[] threads = new Thread[2];
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (int t = 0; t < 2; t++) {
            int me = t;
            threads[t] = new Thread(() -> {
                try (Connection c = ds.getConnection()) {
                    c.setAutoCommit(false);
                    long next = System.nanoTime();
                    while (next < end) {
                        long committedAt = Instant.EPOCH.until(Instant.now(), ChronoUnit.MICROS);
                        outbox.enqueue(c, OutboxMessage.builder("latency").payload(Long.toString(committedAt)).build());
                        c.commit();
                        counts[me]++;
                        next += 2_000_000; // 500 a second per thread
                        LockSupport.parkNanos(next - System.nanoTime());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        System.out.println(counts[0] + counts[1]);
    }
}
