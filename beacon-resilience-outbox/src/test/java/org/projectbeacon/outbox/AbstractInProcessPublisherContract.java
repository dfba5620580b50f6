package org.projectbeacon.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.projectbeacon.outbox.spi.OutboxDialect;
import org.projectbeacon.outbox.spi.OutboxSink;
import org.projectbeacon.resilience.MutableClock;

/**
 * The publisher end to end on one dialect with the in-process sink: everything published once, in
 * key order, by several workers and by publishers on hosts with skewed clocks.
 *
 * <p><b>Reusing it for a dialect of your own.</b> It ships in the outbox's test-jar: subclass it in
 * any package and implement {@link #dialect()} and {@link #dataSource(String)}. Each test migrates
 * its own tables with a random prefix and drops them at the end.
 */
public abstract class AbstractInProcessPublisherContract {

    /** The dialect under test. */
    protected abstract OutboxDialect dialect();

    /**
     * A data source of the test database; {@code name} is unique per test (an embedded database may
     * use it as its name).
     */
    protected abstract DataSource dataSource(String name);

    private DataSource ds;

    private OutboxConfig migrated(String base, Clock clock) throws SQLException {
        String prefix = TestServices.prefix(base + "_" + dialect().name());
        ds = dataSource(prefix);
        OutboxConfig config = OutboxConfig.builder().dialect(dialect()).tablePrefix(prefix).clock(clock).build();
        Outbox.create(config).migrate(ds);
        return config;
    }

    private void enqueue(OutboxConfig config, int n, boolean keyed) throws SQLException {
        Outbox outbox = Outbox.create(config);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            for (int i = 0; i < n; i++) {
                outbox.enqueue(c, OutboxMessage.builder("jobs").key(keyed ? "k" + (i % 3) : null)
                        .payload(Integer.toString(i)).build());
            }
            c.commit();
        }
    }

    @Test
    void twoWorkersPublishEverythingOnceInKeyOrder() throws Exception {
        OutboxConfig config = migrated("inproc", Clock.systemUTC());
        InProcessSink sink = new InProcessSink();
        List<String> seen = new CopyOnWriteArrayList<>();
        sink.subscribe("jobs", r -> seen.add(r.key() + ":" + new String(r.payload(), java.nio.charset.StandardCharsets.UTF_8)));
        enqueue(config, 300, true);
        try (OutboxPublisher publisher = OutboxPublisher.builder(ds, config, sink)
                .config(PublisherConfig.builder().workers(2).batchSize(8).pollInterval(Duration.ofMillis(100)).build())
                .build()) {
            publisher.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> sink.entries("jobs").size() == 300);
            await().atMost(Duration.ofSeconds(20)).until(() -> publisher.status().backlog() == 0);
        }
        for (int k = 0; k < 3; k++) {
            String key = "k" + k;
            List<Integer> order = seen.stream().filter(s -> s.startsWith(key + ":"))
                    .map(s -> Integer.parseInt(s.substring(key.length() + 1))).toList();
            assertThat(order).isSorted();
        }
        assertThat(sink.entries("jobs").stream().map(OutboxRecord::id).distinct().count()).isEqualTo(300);
        assertThat(sink.send(List.of(sink.entries("jobs").get(0))).get(0).duplicate()).isTrue();
        TestServices.dropTables(ds, config);
    }

    /**
     * While a backlog drains, claims start after the rows already claimed (the claim floor): a row
     * that fails and comes due again below the floor is skipped by the claims that follow and
     * published by the full claim the end of the backlog brings — last, although it came due while
     * 180 rows were still waiting (no full claim is due by time: an interval of an hour). Without the
     * floor every claim would be full and the retry would go out with the third batch. The outbox's
     * clock is a test clock, advanced by the sink, so the retry comes due exactly after the second
     * batch.
     */
    @Test
    void aRetryBelowTheClaimFloorIsPublishedByTheFullClaimAtTheBacklogsEnd() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        OutboxConfig config = migrated("floor", clock);
        InProcessSink sink = new InProcessSink();
        enqueue(config, 200, false);
        AtomicInteger sends = new AtomicInteger();
        AtomicReference<UUID> failed = new AtomicReference<>();
        OutboxSink failingFirstOnce = records -> {
            int n = sends.incrementAndGet();
            if (n == 1) { // the first message fails and reaches nobody; the rest of its batch goes through
                failed.set(records.get(0).id());
                List<SendResult> results = new ArrayList<>();
                results.add(SendResult.failed(new IllegalStateException("first attempt fails")));
                results.addAll(sink.send(records.subList(1, records.size())));
                return results;
            }
            List<SendResult> results = sink.send(records);
            if (n == 2) {
                clock.advance(Duration.ofHours(1)); // the retry (backoff about a minute) is due from now on
            }
            return results;
        };
        try (OutboxPublisher publisher = OutboxPublisher.builder(ds, config, failingFirstOnce)
                .config(PublisherConfig.builder().batchSize(10).backoffInitial(Duration.ofMinutes(1))
                        .fullClaimInterval(Duration.ofHours(1)).pollInterval(Duration.ofMillis(100)).listenNotify(false)
                        .build())
                .build()) {
            publisher.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> publisher.status().backlog() == 0);
        }
        List<OutboxRecord> published = sink.entries("jobs");
        assertThat(published.stream().map(OutboxRecord::id).distinct().count()).isEqualTo(200);
        assertThat(published.get(published.size() - 1).id()).as("the retried message, published last").isEqualTo(failed.get());
        TestServices.dropTables(ds, config);
    }

    /**
     * Two publishers whose hosts' clocks are 30 s ahead and 30 s behind: the one behind holds its
     * first batch (its sink waits) until the one ahead has published everything else. With leases on
     * the host's clock the one ahead would see that batch's lease long expired and send it again;
     * with the database's clock (the default) every message is sent exactly once.
     */
    @Test
    void publishersOnSkewedClocksNeverSendAMessageTwice() throws Exception {
        int total = 200;
        int batch = 20;
        Clock behind = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-30));
        Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(30));
        OutboxConfig behindConfig = migrated("skew", behind);
        OutboxConfig aheadConfig = OutboxConfig.builder().dialect(dialect()).tablePrefix(behindConfig.tablePrefix())
                .clock(ahead).build();
        enqueue(behindConfig, total, false); // created on the clock behind: due for both hosts
        InProcessSink sink = new InProcessSink();
        AtomicInteger duplicates = new AtomicInteger();
        CountDownLatch othersPublished = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        UnaryOperator<List<SendResult>> counted = results -> {
            results.forEach(r -> duplicates.addAndGet(r.duplicate() ? 1 : 0));
            return results;
        };
        OutboxSink holdingFirstBatch = new OutboxSink() {
            @Override
            public List<SendResult> send(List<OutboxRecord> records) throws Exception {
                if (first.compareAndSet(true, false)) {
                    othersPublished.await(20, TimeUnit.SECONDS);
                }
                return counted.apply(sink.send(records));
            }
        };
        OutboxSink direct = records -> counted.apply(sink.send(records));
        PublisherConfig.Builder common = PublisherConfig.builder().batchSize(batch).leaseDuration(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50)).listenNotify(false);
        try (OutboxPublisher slow = OutboxPublisher.builder(ds, behindConfig, holdingFirstBatch)
                        .config(common.owner("behind").build()).build();
                OutboxPublisher fast = OutboxPublisher.builder(ds, aheadConfig, direct)
                        .config(common.owner("ahead").build()).build()) {
            slow.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> !first.get()); // the slow one holds a batch
            fast.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.entries("jobs").size() >= total - batch);
            othersPublished.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.entries("jobs").size() == total
                    && slow.status().backlog() == 0);
        } finally {
            othersPublished.countDown();
        }
        assertThat(duplicates).as("messages sent twice").hasValue(0);
        TestServices.dropTables(ds, behindConfig);
    }
}
