package org.projectbeacon.outbox.internal;

import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.OutboxMetrics;
import org.projectbeacon.outbox.OutboxReconciler;
import org.projectbeacon.outbox.ReconcilerConfig;
import org.projectbeacon.outbox.spi.DeliveryTracker;
import org.projectbeacon.outbox.spi.OutboxSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The JDBC reconciler; see {@link OutboxReconciler}. */
public final class JdbcOutboxReconciler implements OutboxReconciler {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcOutboxReconciler.class);

    private final DataSource dataSource;
    private final OutboxSink sink;
    private final DeliveryTracker tracker;
    private final ReconcilerConfig config;
    private final Clock clock;
    private final PeriodicTask passes;
    private final OutboxMetrics metrics;
    private final DialectBound<ReconcilerStore> store;

    /** See {@link OutboxReconciler.Builder}; does no I/O. */
    public JdbcOutboxReconciler(DataSource dataSource, OutboxConfig outbox, OutboxSink sink, DeliveryTracker tracker,
            ReconcilerConfig config, Clock clock, ScheduledExecutorService scheduler, OutboxMetrics metrics) {
        this.dataSource = dataSource;
        this.sink = sink;
        this.tracker = tracker;
        this.config = config;
        this.clock = clock;
        this.passes = new PeriodicTask("the reconciler's background passes", scheduler, config.interval(),
                this::reconcileOnce, e -> LOG.warn("outbox reconciler pass failed, trying again in {}: {}",
                        config.interval(), e.toString()));
        this.metrics = metrics;
        this.store = new DialectBound<>(outbox, ReconcilerStore::new);
    }

    @Override
    public synchronized Result reconcileOnce() throws Exception {
        long now = clock.millis();
        long publishedBefore = now - config.grace().toMillis();
        long checked = 0;
        long deleted = 0;
        long republished = 0;
        try (Connection c = dataSource.getConnection()) {
            ReconcilerStore store = this.store.get(c);
            long after = Long.MIN_VALUE;
            while (true) {
                List<ReconcilerStore.KeptRow> page = store.kept(c, after, publishedBefore, config.batchSize());
                if (page.isEmpty()) {
                    break;
                }
                after = page.get(page.size() - 1).seq();
                checked += page.size();
                // The sink first, the tracker second: a message finished in between is then seen as
                // done and deleted, not resent.
                Set<Long> gone = gone(page);
                List<UUID> ids = new ArrayList<>(page.size());
                page.forEach(r -> ids.add(r.id()));
                Set<UUID> done = tracker.done(ids);
                List<Long> toDelete = new ArrayList<>();
                List<ReconcilerStore.KeptRow> lost = new ArrayList<>();
                for (ReconcilerStore.KeptRow r : page) {
                    if (done.contains(r.id())) {
                        toDelete.add(r.seq());
                    } else if (gone.contains(r.seq())) {
                        lost.add(r);
                    }
                }
                deleted += store.deleteKept(c, toDelete);
                republished += republish(c, store, lost, now);
                if (page.size() < config.batchSize()) {
                    break;
                }
            }
        }
        return new Result(checked, deleted, republished);
    }

    /** The rows of {@code page} whose stream entries are gone, asked per stream; unknown entries are never gone. */
    private Set<Long> gone(List<ReconcilerStore.KeptRow> page) throws Exception {
        Map<String, List<ReconcilerStore.KeptRow>> byStream = new LinkedHashMap<>();
        for (ReconcilerStore.KeptRow r : page) {
            if (!ReconcilerStore.UNKNOWN_ENTRY.equals(r.entryId())) {
                byStream.computeIfAbsent(r.stream(), s -> new ArrayList<>()).add(r);
            }
        }
        Set<Long> gone = new HashSet<>();
        for (Map.Entry<String, List<ReconcilerStore.KeptRow>> e : byStream.entrySet()) {
            List<String> entryIds = new ArrayList<>(e.getValue().size());
            e.getValue().forEach(r -> entryIds.add(r.entryId()));
            Set<String> missing = sink.missingEntries(e.getKey(), entryIds);
            for (ReconcilerStore.KeptRow r : e.getValue()) {
                if (missing.contains(r.entryId())) {
                    gone.add(r.seq());
                }
            }
        }
        return gone;
    }

    /**
     * Makes {@code lost} unpublished again; the sink forgets their ids first, so the resend is not
     * dropped as a duplicate (a failed forget leaves the rows published for the next pass).
     */
    private int republish(Connection c, ReconcilerStore store, List<ReconcilerStore.KeptRow> lost, long now)
            throws Exception {
        if (lost.isEmpty()) {
            return 0;
        }
        Map<String, List<UUID>> byStream = new LinkedHashMap<>();
        lost.forEach(r -> byStream.computeIfAbsent(r.stream(), s -> new ArrayList<>()).add(r.id()));
        for (Map.Entry<String, List<UUID>> e : byStream.entrySet()) {
            sink.forget(e.getKey(), e.getValue());
        }
        int n = store.republish(c, lost, now);
        if (n > 0) {
            metrics.reconciled(n);
            LOG.warn("outbox reconciler republished {} messages whose stream entries were gone before they were done", n);
        }
        return n;
    }

    @Override
    public void start() {
        passes.start();
    }

    @Override
    public void close() {
        passes.close();
    }
}
