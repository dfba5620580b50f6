package org.projectbeacon.health.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.projectbeacon.health.http.AuditEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin audit trail: every entry is logged at INFO on the logger {@value #LOGGER} and kept in a
 * bounded in-memory ring (the oldest entry goes when it is full), readable newest first. Refused calls
 * ({@link AuditEntry#rejected()}) have a ring of their own, a tenth of the size (at least 10, at most the
 * capacity): anybody can send them,
 * and a flood of them must not push the accepted actions out of the trail.
 * Thread-safe: recording and reading hold one short lock.
 */
public final class AuditTrail {

    /** The logger audit lines go to, so that a log pipeline can route them apart. */
    public static final String LOGGER = "beacon.audit";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private final int capacity;
    private final Deque<Kept> entries;
    private final int refusedCapacity;
    private final Deque<Kept> refused;
    private long recorded; // the recording order, which merges the rings (entries may share an instant)

    private record Kept(long seq, AuditEntry entry) {}

    /** A trail keeping the latest {@code capacity} entries (at least 1). */
    public AuditTrail(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1 but was " + capacity);
        }
        this.capacity = capacity;
        this.entries = new ArrayDeque<>(Math.min(capacity, 1024));
        this.refusedCapacity = Math.max(Math.min(capacity, 10), capacity / 10);
        this.refused = new ArrayDeque<>(Math.min(refusedCapacity, 1024));
    }

    /** Logs {@code entry} and keeps it. */
    public void record(AuditEntry entry) {
        LOG.info("admin audit: {}", entry.line());
        Deque<Kept> ring = entry.rejected() ? refused : entries;
        int bound = entry.rejected() ? refusedCapacity : capacity;
        synchronized (entries) {
            if (ring.size() == bound) {
                ring.removeFirst();
            }
            ring.addLast(new Kept(recorded++, entry));
        }
    }

    /** At most {@code limit} entries, newest first. */
    public List<AuditEntry> latest(int limit) {
        List<AuditEntry> out = new ArrayList<>(Math.min(limit, capacity + refusedCapacity));
        synchronized (entries) {
            // Both rings are in recording order: merge them newest first.
            var accepted = entries.descendingIterator();
            var rejected = refused.descendingIterator();
            Kept a = accepted.hasNext() ? accepted.next() : null;
            Kept r = rejected.hasNext() ? rejected.next() : null;
            while ((a != null || r != null) && out.size() < limit) {
                if (r == null || (a != null && a.seq() > r.seq())) {
                    out.add(a.entry());
                    a = accepted.hasNext() ? accepted.next() : null;
                } else {
                    out.add(r.entry());
                    r = rejected.hasNext() ? rejected.next() : null;
                }
            }
        }
        return out;
    }

    /** The most accepted entries kept (refused ones have a ring of their own besides). */
    public int capacity() {
        return capacity;
    }
}
