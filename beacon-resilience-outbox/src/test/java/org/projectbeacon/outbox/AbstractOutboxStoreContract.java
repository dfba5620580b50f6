package org.projectbeacon.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.projectbeacon.outbox.jdbi.JdbiOutbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.projectbeacon.outbox.internal.DeadLetterStore;
import org.projectbeacon.outbox.internal.MonitorStore;
import org.projectbeacon.outbox.internal.PublisherStore;
import org.projectbeacon.outbox.internal.PublisherStore.Claim;
import org.projectbeacon.outbox.internal.PublisherStore.Failure;
import org.projectbeacon.outbox.internal.ReconcilerStore;
import org.projectbeacon.outbox.spi.OutboxDialect;
import org.projectbeacon.resilience.MutableClock;

/**
 * The outbox store's contract: every statement of an {@link OutboxDialect} (enqueue, claim, per-key
 * order, acknowledgement, retries, dead letters, the dead letter queue, stuck-job figures, the
 * reconciler's kept rows and database-clock leases) on a real database.
 *
 * <p><b>Reusing it for a dialect of your own.</b> It ships in the outbox's test-jar (with core's
 * test-jar for {@link MutableClock}; the suite uses this package's {@code TestServices} for table prefixes
 * and clean-up, shipped in the same jar): subclass it in any package, return the dialect from
 * {@link #dialect()} and a data source of an empty test database from {@link #dataSource(String)}.
 * The suite migrates its own tables with a random prefix and drops them at the end. Times of
 * creation and availability come from a {@link MutableClock} the tests move; leases use that clock
 * too except in the database-clock tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractOutboxStoreContract {

    protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(30);

    protected final MutableClock clock = new MutableClock(T0);
    protected DataSource ds;
    protected OutboxConfig config;
    protected Outbox outbox;
    /** The publisher's statements with leases on {@link #clock}. */
    protected PublisherStore store;
    protected DeadLetterStore deadLetters;
    protected MonitorStore monitor;
    protected ReconcilerStore reconciler;

    /** The dialect under test. */
    protected abstract OutboxDialect dialect();

    /**
     * A data source of the test database; {@code name} is unique per test class (an embedded
     * database may use it as its name).
     */
    protected abstract DataSource dataSource(String name);

    @BeforeAll
    void setUpDatabase() throws SQLException {
        String prefix = TestServices.prefix("store_" + dialect().name());
        ds = dataSource(prefix);
        config = OutboxConfig.builder().dialect(dialect()).tablePrefix(prefix).maxPayloadBytes(1024).clock(clock).build();
        outbox = Outbox.create(config);
        outbox.migrate(ds);
        outbox.migrate(ds); // idempotent
        store = new PublisherStore(config, clock, false);
        deadLetters = new DeadLetterStore(config);
        monitor = new MonitorStore(config);
        reconciler = new ReconcilerStore(config);
    }

    @AfterAll
    void dropTables() {
        if (config != null) {
            TestServices.dropTables(ds, config);
        }
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        clock.set(T0);
        try (Connection c = ds.getConnection(); var st = c.createStatement()) {
            st.executeUpdate("DELETE FROM " + config.outboxTable());
            st.executeUpdate("DELETE FROM " + config.deadLetterTable());
        }
    }

    static OutboxMessage msg(String stream, String key, String payload) {
        return OutboxMessage.builder(stream).key(key).payload(payload).build();
    }

    long rows() throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + config.outboxTable());
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void enqueueCommitted(OutboxMessage... messages) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            for (OutboxMessage m : messages) {
                outbox.enqueue(c, m);
            }
            c.commit();
        }
    }

    Claim claim(String owner, int limit) throws SQLException {
        return claim(store, owner, limit, LEASE);
    }

    Claim claim(PublisherStore with, String owner, int limit, Duration lease) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return with.claim(c, owner, limit, clock.millis(), lease);
        }
    }

    @Test
    void rolledBackTransactionLeavesNoMessageAndCommittedOneIsClaimable() throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            assertThat(outbox.enqueue(c, msg("jobs", null, "rolled back"))).isTrue();
            c.rollback();
            OutboxMessage kept = msg("jobs", null, "committed");
            outbox.enqueue(c, kept);
            c.commit();
            Claim claim = claim("w1", 10);
            assertThat(claim.rows()).hasSize(1);
            assertThat(claim.rows().get(0).record().id()).isEqualTo(kept.id());
            assertThat(new String(claim.rows().get(0).record().payload(), StandardCharsets.UTF_8)).isEqualTo("committed");
        }
    }

    @Test
    void jdbiHandleEnqueueFollowsTheHandlesTransaction() throws SQLException {
        Jdbi jdbi = Jdbi.create(ds);
        JdbiOutbox jdbiOutbox = JdbiOutbox.of(outbox);
        assertThatThrownBy(() -> jdbi.useTransaction(h -> {
            jdbiOutbox.enqueue(h, msg("jobs", null, "x"));
            throw new IllegalStateException("caller fails");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(rows()).isZero();
        jdbi.useTransaction(h -> jdbiOutbox.enqueue(h, OutboxMessage.builder("jobs").payload("y")
                .header("trace", "a=b&c").contentType("text/plain").build()));
        assertThat(rows()).isOne();
        OutboxRecord r = claim("w", 10).rows().get(0).record();
        assertThat(r.headers()).containsEntry("trace", "a=b&c");
        assertThat(r.contentType()).isEqualTo("text/plain");
    }

    @Test
    void invalidMessagesAreRejectedNamingTheFieldAndNothingIsWritten() throws SQLException {
        assertThatThrownBy(() -> OutboxMessage.builder(null).payload("x").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stream");
        assertThatThrownBy(() -> OutboxMessage.builder("").payload("x").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stream");
        assertThatThrownBy(() -> OutboxMessage.builder("bad stream!").payload("x").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stream").hasMessageContaining("bad stream!");
        assertThatThrownBy(() -> OutboxMessage.builder("jobs").payload("x").delay(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delay");
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            outbox.enqueue(c, msg("jobs", null, "ok"));
            assertThatThrownBy(() -> outbox.enqueue(c, OutboxMessage.builder("jobs").payload(new byte[1025]).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("payload").hasMessageContaining("1025");
            c.commit();
        }
        assertThat(rows()).isOne();
    }

    @Test
    void duplicateIdWritesNothingAndKeepsTheTransactionUsable() throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            assertThat(outbox.enqueue(c, OutboxMessage.builder("jobs").id(id).payload("first").build())).isTrue();
            assertThat(outbox.enqueue(c, OutboxMessage.builder("jobs").id(id).payload("second").build())).isFalse();
            outbox.enqueue(c, msg("jobs", null, "other"));
            c.commit();
        }
        assertThat(rows()).isEqualTo(2);
    }

    @Test
    void claimedRowsAreLeasedAndAcknowledgedOnlyWithTheirToken() throws SQLException {
        enqueueCommitted(msg("jobs", null, "a"), msg("jobs", null, "b"), msg("jobs", null, "c"));
        Claim first = claim("w1", 2);
        Claim second = claim("w2", 10);
        assertThat(first.rows()).hasSize(2);
        assertThat(second.rows()).hasSize(1);
        assertThat(claim("w3", 10).isEmpty()).isTrue();
        try (Connection c = ds.getConnection()) {
            List<Long> seqs = first.rows().stream().map(PublisherStore.ClaimedRow::seq).toList();
            assertThat(store.acknowledge(c, second.token(), seqs, AckMode.DELETE, clock.millis())).isZero();
            assertThat(store.acknowledge(c, first.token(), seqs, AckMode.DELETE, clock.millis())).isEqualTo(2);
        }
        assertThat(rows()).isOne();
    }

    @Test
    void expiredLeaseIsReclaimedAndTheStaleAcknowledgementRejected() throws SQLException {
        enqueueCommitted(msg("jobs", null, "a"), msg("jobs", null, "b"));
        Claim stale = claim("slow-worker", 10);
        assertThat(claim("other", 10).isEmpty()).isTrue();
        clock.advance(Duration.ofSeconds(30)); // lease_until <= now: expired
        Claim reclaimed = claim("other", 10);
        assertThat(reclaimed.rows()).hasSize(2);
        assertThat(reclaimed.reclaimed()).isEqualTo(2);
        List<Long> seqs = stale.rows().stream().map(PublisherStore.ClaimedRow::seq).toList();
        try (Connection c = ds.getConnection()) {
            assertThat(store.acknowledge(c, stale.token(), seqs, AckMode.DELETE, clock.millis())).isZero();
            assertThat(store.acknowledge(c, reclaimed.token(), seqs, AckMode.MARK_PUBLISHED, clock.millis())).isEqualTo(2);
        }
        assertThat(rows()).isEqualTo(2);
        assertThat(claim("again", 10).isEmpty()).isTrue();
        try (Connection c = ds.getConnection()) {
            assertThat(store.purgePublished(c, clock.millis() + 1)).isEqualTo(2);
        }
        assertThat(rows()).isZero();
    }

    @Test
    void onlyTheOldestUnpublishedRowOfAKeyIsClaimable() throws SQLException {
        enqueueCommitted(msg("jobs", "k1", "1"), msg("jobs", "k1", "2"), msg("jobs", "k2", "1"), msg("jobs", null, "free"));
        Claim a = claim("w1", 10);
        assertThat(a.rows()).extracting(r -> r.record().key() + ":" + new String(r.record().payload(), StandardCharsets.UTF_8))
                .containsExactly("k1:1", "k2:1", "null:free");
        assertThat(claim("w2", 10).isEmpty()).isTrue();
        try (Connection c = ds.getConnection()) {
            // A failure with backoff keeps the key blocked: order is never overtaken.
            store.fail(c, a.token(), List.of(new Failure(a.rows().get(0).seq(), new RuntimeException("boom"),
                    clock.millis() + 60_000)));
            store.acknowledge(c, a.token(), List.of(a.rows().get(1).seq(), a.rows().get(2).seq()), AckMode.DELETE, clock.millis());
        }
        assertThat(claim("w2", 10).isEmpty()).isTrue();
        clock.advance(Duration.ofMinutes(1));
        Claim retry = claim("w2", 10);
        assertThat(retry.rows()).hasSize(1);
        assertThat(retry.rows().get(0).record().attempts()).isEqualTo(1);
        assertThat(new String(retry.rows().get(0).record().payload(), StandardCharsets.UTF_8)).isEqualTo("1");
    }

    /**
     * A claim from a sequence number (the publisher's floor while a backlog drains) leaves the rows
     * below it alone, and a keyed row above it still waits for the older row of its key below it.
     */
    @Test
    void aClaimFromASequenceNumberSkipsTheRowsBelowButKeepsTheKeyOrder() throws SQLException {
        enqueueCommitted(msg("jobs", "k1", "1"), msg("jobs", null, "free"), msg("jobs", "k1", "2"), msg("jobs", null, "late"));
        long firstSeq;
        try (Connection c = ds.getConnection()) {
            Claim all = store.claim(c, "peek", 10, clock.millis(), Duration.ofMillis(1));
            firstSeq = all.rows().get(0).seq();
            store.release(c, all.token(), new RuntimeException("peek only"), clock.millis());
        }
        Claim from;
        try (Connection c = ds.getConnection()) {
            from = store.claim(c, "w1", 10, clock.millis(), LEASE, firstSeq + 1);
        }
        // k1:2 is above the floor but k1:1, below it, is still unpublished: per-key order holds.
        assertThat(from.rows()).extracting(r -> new String(r.record().payload(), StandardCharsets.UTF_8))
                .containsExactly("free", "late");
        Claim full = claim("w2", 10);
        assertThat(full.rows()).extracting(r -> r.record().key() + ":" + new String(r.record().payload(), StandardCharsets.UTF_8))
                .containsExactly("k1:1");
    }

    @Test
    void keepUntilDoneKeepsEntryIdsAndOnlyKeptRowsAreDeletedOrRepublished() throws SQLException {
        enqueueCommitted(msg("jobs", "k1", "1"), msg("jobs", null, "2"), msg("jobs", null, "3"));
        Claim a = claim("w1", 10);
        List<Long> seqs = a.rows().stream().map(PublisherStore.ClaimedRow::seq).toList();
        try (Connection c = ds.getConnection()) {
            assertThat(store.acknowledge(c, a.token(), seqs, java.util.Arrays.asList("5-0", null, "5-2"),
                    AckMode.KEEP_UNTIL_DONE, clock.millis())).isEqualTo(3);
            assertThat(monitor.stats(c, Long.MAX_VALUE).unpublished()).as("kept rows are not backlog").isZero();
        }
        // A kept row does not hold back its key.
        enqueueCommitted(msg("jobs", "k1", "next"));
        Claim next = claim("w2", 10);
        assertThat(next.rows()).hasSize(1);
        clock.advance(Duration.ofSeconds(1));
        List<ReconcilerStore.KeptRow> kept;
        try (Connection c = ds.getConnection()) {
            kept = reconciler.kept(c, Long.MIN_VALUE, clock.millis(), 10);
            assertThat(kept).extracting(ReconcilerStore.KeptRow::entryId).containsExactly("5-0", ReconcilerStore.UNKNOWN_ENTRY, "5-2");
            assertThat(reconciler.kept(c, kept.get(0).seq(), clock.millis(), 1)).extracting(ReconcilerStore.KeptRow::seq)
                    .containsExactly(kept.get(1).seq());
            assertThat(reconciler.kept(c, Long.MIN_VALUE, clock.millis() - 1_000, 10)).as("within the grace").isEmpty();
            assertThat(reconciler.deleteKept(c, List.of(kept.get(0).seq(), next.rows().get(0).seq()))).as("unpublished rows stay")
                    .isEqualTo(1);
            assertThat(reconciler.republish(c, List.of(kept.get(2)), clock.millis())).isEqualTo(1);
            assertThat(reconciler.republish(c, List.of(kept.get(2)), clock.millis())).as("entry id no longer matches").isZero();
        }
        Claim again = claim("w3", 10);
        assertThat(again.rows()).hasSize(1);
        assertThat(again.rows().get(0).record().id()).isEqualTo(kept.get(2).id());
        assertThat(again.rows().get(0).history()).endsWith("republished: stream entry 5-2 was gone");
    }

    @Test
    void delayedMessageBecomesClaimableWhenDue() throws SQLException {
        enqueueCommitted(OutboxMessage.builder("jobs").payload("later").delay(Duration.ofSeconds(10)).build());
        assertThat(claim("w", 10).isEmpty()).isTrue();
        clock.advance(Duration.ofSeconds(10));
        assertThat(claim("w", 10).rows()).hasSize(1);
    }

    @Test
    void deadLetteringMovesTheRowAndQueueOperationsWork() throws SQLException {
        enqueueCommitted(msg("jobs", null, "p1"), msg("jobs", null, "p2"), msg("mail", null, "p3"));
        Claim claim = claim("w", 10);
        try (Connection c = ds.getConnection()) {
            store.deadLetter(c, claim.token(), List.of(
                    new Failure(claim.rows().get(0).seq(), new IllegalStateException("job 17 failed on 'node-a'"), 0),
                    new Failure(claim.rows().get(1).seq(), new IllegalStateException("job 42 failed on 'node-b'"), 0),
                    new Failure(claim.rows().get(2).seq(), new NonRetryableException("WRONGTYPE key mail"), 0)),
                    clock.millis());
            assertThat(rows()).isZero();
            assertThat(deadLetters.count(c, DeadLetterFilter.all())).isEqualTo(3);
            assertThat(deadLetters.count(c, DeadLetterFilter.stream("jobs"))).isEqualTo(2);
            assertThat(deadLetters.failurePatterns(c, DeadLetterFilter.all())).containsExactly(
                    new FailurePattern(IllegalStateException.class.getName(), "job <n> failed on <value>", 2, T0, T0),
                    new FailurePattern(NonRetryableException.class.getName(), "WRONGTYPE key mail", 1, T0, T0));
            assertThat(deadLetters.list(c, DeadLetterFilter.all().withErrorClass(NonRetryableException.class.getName()), 0, 10))
                    .singleElement().satisfies(d -> assertThat(d.message().stream()).isEqualTo("mail"));
            assertThat(deadLetters.list(c, DeadLetterFilter.all().between(T0.plusSeconds(1), T0.plusSeconds(2)), 0, 10)).isEmpty();

            List<DeadLetter> jobs = deadLetters.list(c, DeadLetterFilter.stream("jobs"), 0, 10);
            assertThat(jobs).hasSize(2).allSatisfy(d -> assertThat(d.attempts()).isEqualTo(1));
            clock.advance(Duration.ofMinutes(1));
            assertThat(deadLetters.requeue(c, jobs, clock.millis())).isEqualTo(2);
            assertThat(deadLetters.count(c, DeadLetterFilter.all())).isEqualTo(1);
            Claim again = claim("w", 10);
            assertThat(again.rows()).hasSize(2).allSatisfy(r -> {
                assertThat(r.record().attempts()).isZero();
                assertThat(r.history()).contains("dead-lettered after 1 attempts").contains("IllegalStateException");
            });
            store.deadLetter(c, again.token(), List.of(new Failure(again.rows().get(0).seq(), new RuntimeException("again"), 0)),
                    clock.millis());
            DeadLetter twice = deadLetters.find(c, again.rows().get(0).record().id()).orElseThrow();
            assertThat(twice.history()).contains("dead-lettered after 1 attempts");
            assertThat(twice.errorMessage()).isEqualTo("again");
            assertThat(deadLetters.purge(c, DeadLetterFilter.stream("mail"))).isEqualTo(1);
            assertThat(deadLetters.count(c, DeadLetterFilter.all())).isEqualTo(1);
        }
    }

    @Test
    void deadLetterQueueApiPagesRequeuesPurgesAndRepublishes() throws SQLException {
        for (int i = 0; i < 5; i++) {
            enqueueCommitted(msg(i < 3 ? "jobs" : "mail", null, "p" + i));
            Claim claim = claim("w", 10);
            try (Connection c = ds.getConnection()) {
                store.deadLetter(c, claim.token(), List.of(new Failure(claim.rows().get(0).seq(),
                        new IllegalStateException("failure " + i), 0)), clock.millis());
            }
            clock.advance(Duration.ofSeconds(1));
        }
        InProcessSink sink = new InProcessSink();
        DeadLetterQueue dlq = DeadLetterQueue.create(ds, config, sink);
        assertThat(dlq.count(DeadLetterFilter.all())).isEqualTo(5);
        List<DeadLetter> page0 = dlq.list(DeadLetterFilter.all(), 0, 2);
        List<DeadLetter> page2 = dlq.list(DeadLetterFilter.all(), 2, 2);
        assertThat(page0).extracting(DeadLetter::errorMessage).containsExactly("failure 4", "failure 3");
        assertThat(page2).extracting(DeadLetter::errorMessage).containsExactly("failure 0");
        assertThat(dlq.list(DeadLetterFilter.stream("jobs").between(T0.plusSeconds(1), T0.plusSeconds(3)), 0, 10))
                .extracting(DeadLetter::errorMessage).containsExactly("failure 2", "failure 1");
        assertThat(dlq.failurePatterns(DeadLetterFilter.all())).singleElement().satisfies(f -> {
            assertThat(f.count()).isEqualTo(5);
            assertThat(f.firstSeen()).isEqualTo(T0);
            assertThat(f.lastSeen()).isEqualTo(T0.plusSeconds(4));
        });
        assertThatThrownBy(() -> dlq.list(DeadLetterFilter.all(), 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size");

        UUID republished = page0.get(0).message().id();
        assertThat(dlq.republish(republished).isSuccess()).isTrue();
        assertThat(sink.entries("mail")).extracting(OutboxRecord::id).containsExactly(republished);
        assertThat(dlq.find(republished)).isEmpty();

        assertThat(dlq.requeue(page0.get(1).message().id())).isTrue();
        assertThat(dlq.requeue(UUID.randomUUID())).isFalse();
        assertThat(rows()).isOne();
        assertThat(dlq.requeue(DeadLetterFilter.stream("jobs").between(T0.plusSeconds(1), T0.plusSeconds(3)))).isEqualTo(2);
        assertThat(rows()).isEqualTo(3);
        assertThat(dlq.purge(DeadLetterFilter.all())).isEqualTo(1);
        assertThat(dlq.count(DeadLetterFilter.all())).isZero();
    }

    @Test
    void consumerGiveUpsJoinTheDeadLetterQueueAndRequeueIntoTheOutbox() throws SQLException {
        OutboxMetrics metrics = OutboxMetrics.create();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        metrics.bindTo(registry);
        DeadLetterQueue dlq = DeadLetterQueue.create(ds, config, new InProcessSink(), metrics);
        OutboxRecord job = new OutboxRecord(UUID.randomUUID(), "jobs", "k1", "job-1".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "text/plain", java.util.Map.of("trace", "abc"), T0, 0);
        UUID letter = dlq.add(job, 3, new java.io.IOException("IPFS refused cat bafy123"));
        assertThat(letter).as("a fresh id, so broker de-duplication lets a requeued copy through").isNotEqualTo(job.id());
        assertThat(dlq.list(DeadLetterFilter.all(), 0, 10)).singleElement().satisfies(d -> {
            assertThat(d.message().id()).isEqualTo(letter);
            assertThat(d.message().headers()).containsEntry("trace", "abc")
                    .containsEntry(DeadLetterQueue.ORIGINAL_ID_HEADER, job.id().toString());
            assertThat(d.message().payload()).isEqualTo(job.payload());
            assertThat(d.attempts()).isEqualTo(3);
            assertThat(d.errorClass()).isEqualTo("java.io.IOException");
            assertThat(d.errorMessage()).isEqualTo("IPFS refused cat bafy123");
        });
        assertThat(dlq.failurePatterns(DeadLetterFilter.all())).singleElement()
                .satisfies(f -> assertThat(f.count()).isOne());
        assertThatThrownBy(() -> dlq.add(job, 0, new IllegalStateException("x")))
                .hasMessage("attempts must be at least 1 but was 0");
        assertThat(registry.get(OutboxMetricCatalog.DEAD_LETTERED).counter().count())
                .as("a consumer's dead letter counts in outbox_dead_lettered_total; the refused one does not").isEqualTo(1.0);
        assertThat(metrics.deadLetteredTotal()).isOne();

        assertThat(dlq.requeue(letter)).isTrue();
        assertThat(rows()).isOne();
        Claim claim = claim("w", 10);
        assertThat(claim.rows()).extracting(r -> r.record().id()).containsExactly(letter);
    }

    @Test
    void statsCountUnpublishedAndOldMessages() throws SQLException {
        enqueueCommitted(msg("jobs", null, "old"));
        clock.advance(Duration.ofMinutes(10));
        enqueueCommitted(msg("jobs", null, "new"));
        try (Connection c = ds.getConnection()) {
            MonitorStore.Stats stats = monitor.stats(c, clock.millis() - Duration.ofMinutes(5).toMillis());
            assertThat(stats.unpublished()).isEqualTo(2);
            assertThat(stats.olderThanThreshold()).isEqualTo(1);
            assertThat(stats.oldestCreatedAt()).isEqualTo(T0);
            assertThat(stats.deadLetters()).isZero();
        }
    }

    @Test
    void unpublishedRowsAreListedOldestFirstAndOneInBackoffIsMadeDueById() throws SQLException {
        OutboxMonitor publicMonitor = OutboxMonitor.builder(ds, config).stuckAge(Duration.ofMinutes(5)).build();
        enqueueCommitted(msg("jobs", "k1", "old"));
        clock.advance(Duration.ofMinutes(10));
        enqueueCommitted(msg("jobs", null, "new"), msg("jobs", null, "published"));
        Claim failed = claim("w", 1);
        UUID old = failed.rows().get(0).record().id();
        long backoffEnd = clock.millis() + Duration.ofHours(1).toMillis();
        try (Connection c = ds.getConnection()) {
            store.fail(c, failed.token(), List.of(new Failure(failed.rows().get(0).seq(), new RuntimeException("sink down"),
                    backoffEnd)));
        }
        Claim rest = claim("w", 10);
        UUID published = rest.rows().get(1).record().id();
        try (Connection c = ds.getConnection()) {
            store.acknowledge(c, rest.token(), List.of(rest.rows().get(1).seq()), List.of("1-0"), AckMode.KEEP_UNTIL_DONE,
                    clock.millis());
        }

        List<UnpublishedMessage> listed = publicMonitor.unpublished(10);

        assertThat(listed).extracting(UnpublishedMessage::id).containsExactly(old, rest.rows().get(0).record().id());
        UnpublishedMessage first = listed.get(0);
        assertThat(first.key()).isEqualTo("k1");
        assertThat(first.stream()).isEqualTo("jobs");
        assertThat(first.createdAt()).isEqualTo(T0);
        assertThat(first.age()).isEqualTo(Duration.ofMinutes(10));
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.lastError()).contains("sink down");
        assertThat(first.nextAttemptAt()).isEqualTo(Instant.ofEpochMilli(backoffEnd));
        assertThat(first.leased()).isFalse();
        assertThat(first.stuck()).isTrue();
        assertThat(listed.get(1).stuck()).isFalse();
        assertThat(listed.get(1).leased()).isTrue(); // the second claim holds it
        assertThat(publicMonitor.unpublished(1)).hasSize(1);
        assertThatThrownBy(() -> publicMonitor.unpublished(0)).hasMessage("limit must be in [1, 1000] but was 0");

        assertThat(publicMonitor.makeDue(old)).isTrue();
        assertThat(publicMonitor.makeDue(published)).isFalse();
        assertThat(publicMonitor.makeDue(UUID.randomUUID())).isFalse();
        assertThat(publicMonitor.unpublished(10).get(0).nextAttemptAt()).isEqualTo(clock.instant());
        assertThat(publicMonitor.unpublished(10).get(0).attempts()).isEqualTo(1);
        assertThat(claim("w2", 10).rows()).extracting(r -> r.record().id()).containsExactly(old);
    }

    /** The publisher statements with leases on the database's clock, the default. */
    PublisherStore databaseLeases() {
        return new PublisherStore(config, null, false);
    }

    @Test
    void databaseClockLeasesHoldAgainstHostsWhoseClocksAreSkewed() throws SQLException {
        enqueueCommitted(msg("jobs", null, "a"), msg("jobs", null, "b"));
        clock.advance(Duration.ofMinutes(1)); // due for every host, the one 30 s behind included
        Clock ahead = Clock.offset(clock, Duration.ofSeconds(30));
        Clock behind = Clock.offset(clock, Duration.ofSeconds(-30));
        PublisherStore db = databaseLeases();
        Claim held = claim(db, behind, "behind", Duration.ofSeconds(10));
        assertThat(held.rows()).hasSize(2);
        assertThat(claim(db, ahead, "ahead", Duration.ofSeconds(10)).isEmpty()).as("a live lease, whatever the host's clock")
                .isTrue();
        clock.advance(Duration.ofSeconds(31)); // every application clock moves on; the database's does not
        assertThat(claim(db, ahead, "ahead", Duration.ofSeconds(10)).isEmpty()).isTrue();
        assertThat(claim(db, behind, "behind-2", Duration.ofSeconds(10)).isEmpty()).isTrue();
        try (Connection c = ds.getConnection()) {
            List<Long> seqs = held.rows().stream().map(PublisherStore.ClaimedRow::seq).toList();
            assertThat(db.acknowledge(c, held.token(), seqs, AckMode.DELETE, clock.millis())).isEqualTo(2);
        }
        assertThat(rows()).isZero();
    }

    @Test
    void applicationClockLeasesLetASkewedHostStealALiveLease() throws SQLException {
        // The hazard the database clock removes, shown with the application lease clock: the host
        // behind claims for 10 s, a lease that on its clock ended 20 s before the host ahead's now.
        enqueueCommitted(msg("jobs", null, "a"));
        clock.advance(Duration.ofMinutes(1));
        Clock ahead = Clock.offset(clock, Duration.ofSeconds(30));
        Clock behind = Clock.offset(clock, Duration.ofSeconds(-30));
        assertThat(claim(new PublisherStore(config, behind, false), behind, "behind", Duration.ofSeconds(10)).rows())
                .hasSize(1);
        assertThat(claim(new PublisherStore(config, ahead, false), ahead, "ahead", Duration.ofSeconds(10)).reclaimed())
                .isOne();
    }

    Claim claim(PublisherStore with, Clock host, String owner, Duration lease) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return with.claim(c, owner, 10, host.millis(), lease);
        }
    }

    @Test
    void databaseClockLeaseIsReclaimedOnceExpiredOnTheDatabaseClock() throws SQLException {
        enqueueCommitted(msg("jobs", null, "a"));
        PublisherStore db = databaseLeases();
        Claim shortLease = claim(db, clock, "crashed", Duration.ofMillis(1));
        assertThat(shortLease.rows()).hasSize(1);
        // The database's clock moves by itself: wait for it, the application clock stands still.
        Claim[] reclaimed = new Claim[1];
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> {
            reclaimed[0] = claim(db, clock, "survivor", Duration.ofSeconds(30));
            return !reclaimed[0].isEmpty();
        });
        assertThat(reclaimed[0].reclaimed()).isEqualTo(1);
        assertThat(claim(db, clock, "third", Duration.ofSeconds(30)).isEmpty()).as("the new lease is live").isTrue();
        try (Connection c = ds.getConnection()) {
            long seq = shortLease.rows().get(0).seq();
            assertThat(db.acknowledge(c, shortLease.token(), List.of(seq), AckMode.DELETE, clock.millis())).isZero();
            assertThat(db.acknowledge(c, reclaimed[0].token(), List.of(seq), AckMode.DELETE, clock.millis())).isOne();
        }
    }

    @Test
    void databaseClockReadsThisDialectsTimeInEpochMillis() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT " + dialect().currentTimeMillis())) {
            rs.next();
            // The database runs on a host whose clock is ours to within minutes; a unit error (seconds,
            // microseconds) or a time-zone offset of an hour or more would be far outside.
            assertThat(rs.getLong(1)).isBetween(System.currentTimeMillis() - 600_000, System.currentTimeMillis() + 600_000);
        }
    }
}
