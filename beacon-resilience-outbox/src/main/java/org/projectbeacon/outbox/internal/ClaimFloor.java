package org.projectbeacon.outbox.internal;

/**
 * Where a publisher's next claim starts scanning (see {@code PublisherConfig.fullClaimInterval()}):
 * {@link #FULL} for a full claim, otherwise the highest first sequence number of the claims started
 * since the last full claim was recorded. A full claim is due when none was made for the interval
 * (measured on a monotonic clock, so a wall-clock step cannot postpone it), and after any claim that
 * came back with less than a full batch, until a full claim is recorded: an outbox that keeps up
 * always claims from the start. Claims started before the latest full claim do not raise the floor
 * again, so a full claim's lower floor holds for the claims after it. Shared by a publisher's
 * workers; thread-safe.
 */
final class ClaimFloor {

    /** The {@code fromSeq} of a full claim. */
    static final long FULL = Long.MIN_VALUE;

    /** Where one claim starts, and which full claim it came after. */
    record Start(long fromSeq, long epoch) {
        boolean full() {
            return fromSeq == FULL;
        }
    }

    private final long intervalNanos;
    private long floor = FULL;
    private long epoch;
    private long lastFullAt;
    private boolean fullDue = true;

    /** @param intervalNanos at most this long between full claims (a monotonic duration); 0 makes every claim full */
    ClaimFloor(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /** Where a claim made at {@code nanoTime} (a monotonic reading) starts. */
    synchronized Start from(long nanoTime) {
        if (fullDue || intervalNanos == 0 || nanoTime - lastFullAt >= intervalNanos) {
            return new Start(FULL, epoch);
        }
        return new Start(floor, epoch);
    }

    /**
     * Records a claim started as {@code start} that returned {@code rows} rows (of at most
     * {@code limit}) beginning with sequence number {@code firstSeq} (ignored when none), at
     * {@code nanoTime}.
     */
    synchronized void claimed(Start start, int rows, int limit, long firstSeq, long nanoTime) {
        if (start.full()) {
            long claimedFloor = rows > 0 ? firstSeq : FULL;
            // Another full claim recorded since this one started: both saw every due row; keep the lower.
            floor = start.epoch() == epoch ? claimedFloor : Math.min(floor, claimedFloor);
            epoch++;
            lastFullAt = nanoTime;
            fullDue = rows < limit;
            return;
        }
        if (rows < limit) {
            fullDue = true; // near the backlog's end: look below the floor next, whoever claims next
        }
        if (rows > 0 && start.epoch() == epoch) {
            floor = Math.max(floor, firstSeq);
        }
    }
}
