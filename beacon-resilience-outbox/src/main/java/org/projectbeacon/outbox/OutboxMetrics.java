package org.projectbeacon.outbox;

import static org.projectbeacon.outbox.OutboxMetricCatalog.description;
import static org.projectbeacon.outbox.OutboxMetricCatalog.DEAD_LETTERED;
import static org.projectbeacon.outbox.OutboxMetricCatalog.FAILED;
import static org.projectbeacon.outbox.OutboxMetricCatalog.PUBLISHED;
import static org.projectbeacon.outbox.OutboxMetricCatalog.PUBLISH_LATENCY;
import static org.projectbeacon.outbox.OutboxMetricCatalog.RECLAIMED;
import static org.projectbeacon.outbox.OutboxMetricCatalog.RECONCILED;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The publisher's and the reconciler's counters and the latency timer. Record at any time; values reach every registry this
 * binder has been bound to (recordings before the first binding are kept in the local totals only).
 * Thread-safe; recording does not allocate.
 */
public final class OutboxMetrics implements MeterBinder {

    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
    private volatile Instruments instruments;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong reclaimed = new AtomicLong();
    private final AtomicLong reconciled = new AtomicLong();

    private OutboxMetrics() {}

    /** Creates the metrics, bound to no registry yet. */
    public static OutboxMetrics create() {
        return new OutboxMetrics();
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        meters.add(Objects.requireNonNull(registry, "registry"));
        if (instruments == null) {
            instruments = new Instruments(meters);
        }
    }

    /** Counts {@code n} messages published. */
    public void published(int n) {
        published.addAndGet(n);
        Instruments i = instruments;
        if (i != null) {
            i.published.increment(n);
        }
    }

    /** Records one message's enqueue-to-publication latency. */
    public void latency(Duration latency) {
        Instruments i = instruments;
        if (i != null) {
            i.latency.record(latency.isNegative() ? Duration.ZERO : latency);
        }
    }

    /** Counts {@code n} failed attempts. */
    public void failed(int n) {
        failed.addAndGet(n);
        Instruments i = instruments;
        if (i != null) {
            i.failed.increment(n);
        }
    }

    /** Counts {@code n} messages dead-lettered. */
    public void deadLettered(int n) {
        deadLettered.addAndGet(n);
        Instruments i = instruments;
        if (i != null) {
            i.deadLettered.increment(n);
        }
    }

    /** Counts {@code n} rows reclaimed from expired leases. */
    public void reclaimed(int n) {
        reclaimed.addAndGet(n);
        Instruments i = instruments;
        if (i != null) {
            i.reclaimed.increment(n);
        }
    }

    /** Counts {@code n} rows made unpublished again because their stream entry was gone before the message was done. */
    public void reconciled(int n) {
        reconciled.addAndGet(n);
        Instruments i = instruments;
        if (i != null) {
            i.reconciled.increment(n);
        }
    }

    /** Messages published since creation. */
    public long publishedTotal() {
        return published.get();
    }

    /** Failed attempts since creation. */
    public long failedTotal() {
        return failed.get();
    }

    /** Messages dead-lettered since creation. */
    public long deadLetteredTotal() {
        return deadLettered.get();
    }

    /** Rows reclaimed since creation. */
    public long reclaimedTotal() {
        return reclaimed.get();
    }

    /** Rows republished by a reconciler since creation. */
    public long reconciledTotal() {
        return reconciled.get();
    }

    private static final class Instruments {
        final Counter published;
        final Counter failed;
        final Counter deadLettered;
        final Counter reclaimed;
        final Counter reconciled;
        final Timer latency;

        Instruments(MeterRegistry r) {
            published = Counter.builder(PUBLISHED).description(description(PUBLISHED)).register(r);
            failed = Counter.builder(FAILED).description(description(FAILED)).register(r);
            deadLettered = Counter.builder(DEAD_LETTERED).description(description(DEAD_LETTERED)).register(r);
            reclaimed = Counter.builder(RECLAIMED).description(description(RECLAIMED)).register(r);
            reconciled = Counter.builder(RECONCILED)
                    .description(description(RECONCILED)).register(r);
            latency = Timer.builder(PUBLISH_LATENCY).description(description(PUBLISH_LATENCY)).register(r);
        }
    }
}
