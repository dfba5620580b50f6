package org.projectbeacon.outbox.internal;

/**
 * Where a publisher's next claim starts scanning (see {@code PublisherConfig.fullClaimInterval()}):
 * {@link Long#MIN_VALUE} for a full claim, otherwise the highest first sequence number of the claims
 * made since the last full one. A full claim is due when none was made for the interval, and after
 * any claim that came back with less than a full batch, so an outbox that keeps up always claims
 * from the start and a row below the floor waits one interval at most. Shared by a publisher's
 * workers; thread-safe.
 */
final class ClaimFloor {

    /** The {@code fromSeq} of a full claim. */
    static final long FULL = Long.MIN_VALUE;

    private final long intervalMillis;
    private long floor = FULL;
    private long lastFullAt;
    private boolean fullDue = true;

    /** @param intervalMillis at most this long between full claims; 0 makes every claim full */
    ClaimFloor(long intervalMillis) {
        this.intervalMillis = intervalMillis;
    }

    /** The {@code fromSeq} for a claim made at {@code now} (epoch milliseconds). */
    synchronized long from(long now) {
        if (fullDue || intervalMillis == 0 || now - lastFullAt >= intervalMillis) {
            return FULL;
        }
        return floor;
    }

    /**
     * Records a claim made from {@code from} at {@code now} that returned {@code rows} rows (of at
     * most {@code limit}) starting with sequence number {@code firstSeq} (ignored when none).
     */
    synchronized void claimed(long from, int rows, int limit, long firstSeq, long now) {
        if (from == FULL) {
            lastFullAt = now;
            floor = rows > 0 ? firstSeq : FULL;
        } else if (rows > 0) {
            floor = Math.max(floor, firstSeq);
        }
        fullDue = rows < limit;
    }
}
