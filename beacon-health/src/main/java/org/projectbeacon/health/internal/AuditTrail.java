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
 * bounded in-memory ring (the oldest entry goes when it is full), readable newest first.
 * Thread-safe: recording and reading hold one short lock.
 */
public final class AuditTrail {

    /** The logger audit lines go to, so that a log pipeline can route them apart. */
    public static final String LOGGER = "beacon.audit";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private final int capacity;
    private final Deque<AuditEntry> entries;

    /** A trail keeping the latest {@code capacity} entries (at least 1). */
    public AuditTrail(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1 but was " + capacity);
        }
        this.capacity = capacity;
        this.entries = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    /** Logs {@code entry} and keeps it. */
    public void record(AuditEntry entry) {
        LOG.info("admin audit: {}", entry.line());
        synchronized (entries) {
            if (entries.size() == capacity) {
                entries.removeFirst();
            }
            entries.addLast(entry);
        }
    }

    /** At most {@code limit} entries, newest first. */
    public List<AuditEntry> latest(int limit) {
        List<AuditEntry> out = new ArrayList<>(Math.min(limit, capacity));
        synchronized (entries) {
            var it = entries.descendingIterator();
            while (it.hasNext() && out.size() < limit) {
                out.add(it.next());
            }
        }
        return out;
    }

    /** The most entries kept. */
    public int capacity() {
        return capacity;
    }
}
