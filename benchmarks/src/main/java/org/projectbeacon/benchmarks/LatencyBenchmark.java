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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.ds.PGSimpleDataSource;
import org.projectbeacon.outbox.Outbox;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.OutboxMessage;
import org.projectbeacon.outbox.OutboxPublisher;
import org.projectbeacon.outbox.PublisherConfig;
import org.projectbeacon.outbox.redis.RedisSinkConfig;
import org.projectbeacon.outbox.redis.RedisStreamSink;

/**
 * Outbox latency: a producer process enqueues about 1,000 messages a second in PostgreSQL (each in
 * its own transaction, two threads of 500 a second), this process publishes them with Beacon's
 * publisher (1 worker) and reads the stream with {@code XREAD BLOCK}. The latency of a message is
 * the time from the moment its {@code COMMIT} returned in the producer (which prints it with the
 * message id) to the moment the consumer reads its entry; a second row measures from just before the
 * INSERT (carried in the payload), so the commit's own time, a WAL flush, is included. Measured with LISTEN/NOTIFY on, then off (wake-up by
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
        List<String> shares = new ArrayList<>();
        for (boolean listen : new boolean[] {true, false}) {
            rows.add(run(pg, redisUri, listen, seconds, shares));
        }
        System.out.println();
        System.out.println("| LISTEN/NOTIFY | latency measured | goal | messages | producer rate | p50 | p90 | p99 | max | result |");
        System.out.println("|---|---|---|---:|---:|---:|---:|---:|---:|---|");
        rows.forEach(System.out::println);
        System.out.println();
        System.out.println("Beacon's own share (issue #15, goal 4), same messages, same run: the producer's own INSERT + COMMIT");
        System.out.println("(the database's commit, measured in the producer) beside commit → stream entry (the publisher's");
        System.out.println("wake-up, claim, XADD and the consumer's read); the difference of the percentiles is what Beacon adds");
        System.out.println("above what the database already costs the producer.");
        System.out.println();
        System.out.println("| LISTEN/NOTIFY | messages | producer commit p50 | p99 | commit → stream p50 | p99 | difference p50 | difference p99 | goal | result |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---|---|");
        shares.forEach(System.out::println);
        System.out.println();
    }

    private static String run(String pg, String redisUri, boolean listen, int seconds, List<String> shares) throws Exception {
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
        Map<String, Long> readAt = new HashMap<>();
        Map<String, Long> insertedAt = new HashMap<>();
        Map<String, Long> committedAt = new ConcurrentHashMap<>();
        long[] sent = new long[1];
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            redis.del(keyPrefix + "latency");
            publisher.start();
            String java = ProcessHandle.current().info().command().orElse("java");
            Process producer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    LatencyBenchmark.class.getName(), "--producer", pg, prefix, Integer.toString(WARM_UP_SECONDS + seconds))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            // The producer prints "<id> <micros after COMMIT returned>" per message, then "sent <n>";
            // read it as it comes so the pipe never fills.
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(producer.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        String[] parts = line.trim().split(" ");
                        if (parts[0].equals("sent")) {
                            sent[0] = Long.parseLong(parts[1]);
                        } else {
                            committedAt.put(parts[0], Long.parseLong(parts[1]));
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            reader.start();
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
                    long beforeCommit = Long.parseLong(m.getBody().get("payload"));
                    if (beforeCommit >= measureFrom) {
                        micros.add(now - beforeCommit);
                        readAt.put(m.getBody().get("id"), now);
                        insertedAt.put(m.getBody().get("id"), beforeCommit);
                    }
                    last = m.getId();
                }
            }
            reader.join();
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
        List<Long> afterCommit = new ArrayList<>();
        List<Long> producerCommit = new ArrayList<>();
        readAt.forEach((id, read) -> {
            Long committed = committedAt.get(id);
            if (committed != null) {
                afterCommit.add(read - committed);
                producerCommit.add(committed - insertedAt.get(id));
            }
        });
        shares.add(share(listen ? "on" : "off", producerCommit, afterCommit, listen));
        double rate = sent[0] / (double) (WARM_UP_SECONDS + seconds);
        String mode = listen ? "on" : "off (poll every " + PublisherConfig.DEFAULT_POLL_INTERVAL.toMillis() + " ms)";
        return row(mode, "from COMMIT returned", afterCommit, rate, listen) + "\n"
                + row(mode, "from before INSERT + COMMIT", micros, rate, false);
    }

    private static String row(String mode, String from, List<Long> micros, double rate, boolean judged) {
        micros.sort(null);
        double p99 = pct(micros, 0.99);
        return String.format(Locale.ROOT, "| %s | %s | %s | %d | %.0f msg/s | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %s |",
                mode, from, judged ? "p99 ≤ 20 ms" : "–", micros.size(), rate, pct(micros, 0.50), pct(micros, 0.90), p99,
                micros.isEmpty() ? Double.NaN : micros.get(micros.size() - 1) / 1000.0,
                judged ? (p99 <= 20 ? "met" : "not met") : "reference");
    }

    /** The goal-4 row: the producer's commit and commit → stream percentiles, and their differences. */
    private static String share(String mode, List<Long> producerCommit, List<Long> afterCommit, boolean judged) {
        producerCommit.sort(null);
        afterCommit.sort(null);
        double diff50 = pct(afterCommit, 0.50) - pct(producerCommit, 0.50);
        double diff99 = pct(afterCommit, 0.99) - pct(producerCommit, 0.99);
        String result = judged ? (diff99 <= 5 ? "met" : "not met") : "reference";
        return String.format(Locale.ROOT, "| %s | %d | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %+.1f ms | %+.1f ms | %s | %s |",
                mode, afterCommit.size(), pct(producerCommit, 0.50), pct(producerCommit, 0.99), pct(afterCommit, 0.50),
                pct(afterCommit, 0.99), diff50, diff99, judged ? "difference p99 ≤ 5 ms" : "–", result);
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
                        long beforeInsert = Instant.EPOCH.until(Instant.now(), ChronoUnit.MICROS);
                        UUID id = UUID.randomUUID();
                        outbox.enqueue(c, OutboxMessage.builder("latency").id(id).payload(Long.toString(beforeInsert)).build());
                        c.commit();
                        long committed = Instant.EPOCH.until(Instant.now(), ChronoUnit.MICROS);
                        synchronized (System.out) {
                            System.out.println(id + " " + committed);
                        }
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
        System.out.println("sent " + (counts[0] + counts[1]));
    }
}
