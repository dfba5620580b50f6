package org.projectbeacon.outbox;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ProcessingLedger#acquire(String)} decided for one delivery of a message, and what the
 * consumer must do with the delivery:
 *
 * <ul>
 *   <li>{@link Outcome#ACQUIRED}: process it under {@link #lease()}, then complete the lease in the
 *       transaction of the handler's effects; {@link #takenOver()} tells that an earlier handler's
 *       lease expired unfinished (it probably died), so half-done external effects may exist.</li>
 *   <li>{@link Outcome#ALREADY_DONE}: the effects are committed; acknowledge the delivery, do nothing.</li>
 *   <li>{@link Outcome#LEASED}: another handler holds a live lease until {@link #heldUntil()};
 *       leave the delivery pending (never acknowledge it), so it is delivered again should that
 *       handler die.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 *
 * @param outcome the decision
 * @param lease the lease when {@link Outcome#ACQUIRED}, otherwise empty
 * @param takenOver whether the lease was taken over from an expired one
 * @param heldUntil when {@link Outcome#LEASED}, the expiry of the other handler's lease, otherwise empty
 */
public record Acquisition(Outcome outcome, Optional<LedgerLease> lease, boolean takenOver, Optional<Instant> heldUntil) {

    /** The decisions of {@link ProcessingLedger#acquire(String)}. */
    public enum Outcome {
        /** The caller holds the lease and must process the message. */
        ACQUIRED,
        /** The message was processed and its effects committed. */
        ALREADY_DONE,
        /** Another handler holds a live lease. */
        LEASED
    }

    /** Checks that a lease comes exactly with {@link Outcome#ACQUIRED} and a holder's expiry exactly with {@link Outcome#LEASED}. */
    public Acquisition {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(heldUntil, "heldUntil");
        if (lease.isPresent() != (outcome == Outcome.ACQUIRED)) {
            throw new IllegalArgumentException("lease must be present exactly when outcome is ACQUIRED but outcome was "
                    + outcome + " and lease " + (lease.isPresent() ? "present" : "empty"));
        }
        if (heldUntil.isPresent() != (outcome == Outcome.LEASED)) {
            throw new IllegalArgumentException("heldUntil must be present exactly when outcome is LEASED but outcome was "
                    + outcome + " and heldUntil " + heldUntil);
        }
        if (takenOver && outcome != Outcome.ACQUIRED) {
            throw new IllegalArgumentException("takenOver must be false unless outcome is ACQUIRED but outcome was " + outcome);
        }
    }

    /** A lease acquired, {@code takenOver} when it replaced an expired one. */
    public static Acquisition acquired(LedgerLease lease, boolean takenOver) {
        return new Acquisition(Outcome.ACQUIRED, Optional.of(lease), takenOver, Optional.empty());
    }

    /** The message is done. */
    public static Acquisition alreadyDone() {
        return new Acquisition(Outcome.ALREADY_DONE, Optional.empty(), false, Optional.empty());
    }

    /** Another handler holds the lease until {@code heldUntil}. */
    public static Acquisition leased(Instant heldUntil) {
        return new Acquisition(Outcome.LEASED, Optional.empty(), false, Optional.of(heldUntil));
    }

    /** Whether the caller holds the lease ({@link Outcome#ACQUIRED}). */
    public boolean acquired() {
        return outcome == Outcome.ACQUIRED;
    }
}
