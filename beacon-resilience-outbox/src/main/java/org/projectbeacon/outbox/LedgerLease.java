package org.projectbeacon.outbox;

import java.time.Instant;
import java.util.Objects;

/**
 * The right to process one message, from {@link ProcessingLedger#acquire(String)}: whoever holds the
 * current {@code token} of the message's ledger entry may complete, renew or release it. Once the
 * lease is taken over after expiry, the ledger refuses this token, so a handler that was presumed
 * dead cannot mark the message done on top of its successor.
 *
 * <p>Immutable and thread-safe.
 *
 * @param messageId the message's id in the ledger
 * @param owner the owner name written on the entry ({@link LedgerConfig#owner()})
 * @param token the fencing token of this lease
 * @param leaseUntil when the lease expires, on the ledger's clock (database or configured)
 * @param attempt which attempt at the message this is, 1 for the first
 */
public record LedgerLease(String messageId, String owner, String token, Instant leaseUntil, int attempt) {

    /** Checks that every part is present and {@code attempt} is positive. */
    public LedgerLease {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1 but was " + attempt);
        }
    }
}
