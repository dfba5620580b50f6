package org.projectbeacon.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectbeacon.outbox.internal.PublisherStore;
import org.projectbeacon.outbox.spi.DeliveryTracker;
import org.projectbeacon.outbox.spi.OutboxDialect;
import org.projectbeacon.resilience.MutableClock;

/**
 * The reconciler on embedded H2 with the in-process sink: rows are published the way the publisher
 * does it (claim, send, acknowledge with the entry ids), so no thread and no wait is involved.
 */
class OutboxReconcilerTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration GRACE = ReconcilerConfig.DEFAULT_GRACE;

    final MutableClock clock = new MutableClock(T0);
    final InProcessSink sink = new InProcessSink();
    final Set<UUID> done = ConcurrentHashMap.newKeySet();
    final DeliveryTracker tracker = ids -> ids.stream().filter(done::contains).collect(Collectors.toSet());
    final OutboxMetrics metrics = OutboxMetrics.create();
    DataSource ds;
    OutboxConfig config;
    Outbox outbox;
    PublisherStore store;

    @BeforeEach
    void setUp() throws SQLException {
        String prefix = TestServices.prefix("reconcile_h2");
        ds = TestServices.dataSource(OutboxDialect.h2(), prefix);
        config = OutboxConfig.builder().dialect(OutboxDialect.h2()).tablePrefix(prefix).clock(clock).build();
        outbox = Outbox.create(config);
        outbox.migrate(ds);
        outbox.migrate(ds); // V1 and V2 are idempotent
        store = new PublisherStore(config, clock, false);
    }

    @AfterEach
    void tearDown() {
        TestServices.dropTables(ds, config);
    }

    OutboxReconciler reconciler(int batchSize) {
        return OutboxReconciler.builder(ds, config, sink, tracker).metrics(metrics)
                .config(ReconcilerConfig.builder().batchSize(batchSize).build()).build();
    }

    List<UUID> enqueue(int n) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            for (int i = 0; i < n; i++) {
                OutboxMessage m = OutboxMessage.builder("jobs").key("k" + (i % 3)).payload("m" + i).build();
                outbox.enqueue(c, m);
                ids.add(m.id());
            }
        }
        return ids;
    }

    /** What one publisher pass does under KEEP_UNTIL_DONE; returns how many rows were acknowledged. */
    int publishDue() throws Exception {
        int acked = 0;
        try (Connection c = ds.getConnection()) {
            while (true) {
                long now = clock.millis();
                PublisherStore.Claim claim = store.claim(c, "test", 100, now, java.time.Duration.ofSeconds(30));
                if (claim.isEmpty()) {
                    return acked;
                }
                List<OutboxRecord> records = claim.rows().stream().map(PublisherStore.ClaimedRow::record).toList();
                List<SendResult> results = sink.send(records);
                acked += store.acknowledge(c, claim.token(), claim.rows().stream().map(PublisherStore.ClaimedRow::seq).toList(),
                        results.stream().map(SendResult::entryId).toList(), AckMode.KEEP_UNTIL_DONE, now);
            }
        }
    }

    long rows() throws SQLException {
        try (Connection c = ds.getConnection(); var st = c.createStatement();
                var rs = st.executeQuery("SELECT COUNT(*) FROM " + config.outboxTable())) {
            rs.next();
            return rs.getLong(1);
        }
    }

    List<UUID> streamIds() {
        return sink.entries("jobs").stream().map(OutboxRecord::id).toList();
    }

    @Test
    void doneRowsAreDeletedAndLostOnesRepublishedExactlyOnce() throws Exception {
        List<UUID> ids = enqueue(6);
        assertThat(publishDue()).isEqualTo(6);
        done.addAll(ids.subList(0, 2));
        sink.drain("jobs"); // the stream loses every entry; the de-duplication memory survives
        clock.advance(GRACE.plusSeconds(1));

        OutboxReconciler.Result result = reconciler(100).reconcileOnce();

        assertThat(result).isEqualTo(new OutboxReconciler.Result(6, 2, 4));
        assertThat(metrics.reconciledTotal()).isEqualTo(4);
        assertThat(rows()).isEqualTo(4);
        assertThat(publishDue()).isEqualTo(4);
        assertThat(streamIds()).containsExactlyInAnyOrderElementsOf(ids.subList(2, 6));

        clock.advance(GRACE.plusSeconds(1));
        assertThat(reconciler(100).reconcileOnce()).as("entries are back: nothing more to do")
                .isEqualTo(new OutboxReconciler.Result(4, 0, 0));
        done.addAll(ids);
        assertThat(reconciler(100).reconcileOnce()).isEqualTo(new OutboxReconciler.Result(4, 4, 0));
        assertThat(rows()).isZero();
        assertThat(streamIds()).hasSize(4);
    }

    @Test
    void rowsWithinTheGraceAndRowsWhoseEntriesExistAreLeftAlone() throws Exception {
        enqueue(3);
        publishDue();
        assertThat(reconciler(100).reconcileOnce()).isEqualTo(new OutboxReconciler.Result(0, 0, 0));
        clock.advance(GRACE.plusSeconds(1));
        assertThat(reconciler(100).reconcileOnce()).isEqualTo(new OutboxReconciler.Result(3, 0, 0));
        assertThat(rows()).isEqualTo(3);
        assertThat(metrics.reconciledTotal()).isZero();
    }

    @Test
    void everyPageIsWalkedWhenTheBacklogIsLargerThanABatch() throws Exception {
        List<UUID> ids = enqueue(7);
        publishDue();
        done.addAll(ids.subList(0, 3));
        sink.drain("jobs");
        clock.advance(GRACE.plusSeconds(1));
        assertThat(reconciler(2).reconcileOnce()).isEqualTo(new OutboxReconciler.Result(7, 3, 4));
        assertThat(publishDue()).isEqualTo(4);
    }

    @Test
    void aFailingTrackerChangesNothing() throws Exception {
        enqueue(2);
        publishDue();
        sink.drain("jobs");
        clock.advance(GRACE.plusSeconds(1));
        OutboxReconciler failing = OutboxReconciler.builder(ds, config, sink, ids -> {
            throw new SQLException("ledger unavailable");
        }).build();
        assertThatThrownBy(failing::reconcileOnce).isInstanceOf(SQLException.class).hasMessage("ledger unavailable");
        assertThat(publishDue()).as("still published, not resent").isZero();
        assertThat(rows()).isEqualTo(2);
    }

    @Test
    void publishedRowsOfTheOtherModesAreNotReconciled() throws Exception {
        enqueue(2);
        try (Connection c = ds.getConnection()) {
            long now = clock.millis();
            PublisherStore.Claim claim = store.claim(c, "test", 10, now, java.time.Duration.ofSeconds(30));
            sink.send(claim.rows().stream().map(PublisherStore.ClaimedRow::record).toList());
            store.acknowledge(c, claim.token(), claim.rows().stream().map(PublisherStore.ClaimedRow::seq).toList(),
                    AckMode.MARK_PUBLISHED, now);
        }
        sink.drain("jobs");
        clock.advance(GRACE.plusSeconds(1));
        assertThat(reconciler(100).reconcileOnce()).isEqualTo(new OutboxReconciler.Result(0, 0, 0));
    }

    @Test
    void configurationIsValidatedEagerlyAndStartNeedsAScheduler() {
        assertThatThrownBy(() -> ReconcilerConfig.builder().interval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("interval must be positive but was PT0S");
        assertThatThrownBy(() -> ReconcilerConfig.builder().grace(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("grace must not be negative but was PT-1S");
        assertThatThrownBy(() -> ReconcilerConfig.builder().batchSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("batchSize must be in 1..10000 but was 0");
        assertThat(ReconcilerConfig.builder().grace(Duration.ZERO).build().grace()).isZero();
        try (OutboxReconciler r = reconciler(10)) {
            assertThatThrownBy(r::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("scheduler must be set");
        }
    }
}
