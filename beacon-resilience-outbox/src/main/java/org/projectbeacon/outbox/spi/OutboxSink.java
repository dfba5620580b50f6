package org.projectbeacon.outbox.spi;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.projectbeacon.outbox.OutboxRecord;
import org.projectbeacon.outbox.SendResult;

/**
 * Where the publisher sends claimed messages: Redis Streams, or the in-process sink.
 *
 * <p><b>Contract.</b> {@link #send} receives a whole claimed batch and must send it without a
 * round trip per message (pipelining or one bulk call). It returns one {@link SendResult} per
 * message, in batch order: a failure of one message (a poison message) is reported in its result and
 * must not fail the others. It throws only when the destination as a whole is unavailable (a
 * connection error); those exceptions are what the publisher's guard counts, so a breaker opens
 * during an outage and not because of one bad message. A sink should de-duplicate by message id
 * so that re-sending after a crash adds nothing.
 *
 * <p><b>Reconciliation.</b> {@link #missingEntries} and {@link #forget} let an
 * {@link org.projectbeacon.outbox.OutboxReconciler} find messages whose stream entries were lost
 * (a restart without persistence, a trim) and send them again past the de-duplication. A sink that
 * cannot tell which entries exist keeps the defaults, and the reconciler then only deletes the rows
 * of messages that are done.
 *
 * <p>Implementations must be thread-safe: every publisher worker calls {@code send} concurrently.
 */
public interface OutboxSink extends AutoCloseable {

    /**
     * Sends {@code batch}.
     *
     * @return one result per message, same order
     * @throws Exception when nothing could be sent
     */
    List<SendResult> send(List<OutboxRecord> batch) throws Exception;

    /**
     * Which of {@code entryIds}, entry ids this sink returned in {@link SendResult#entryId()} for
     * {@code stream}, are no longer in the stream. A stream that no longer exists has lost them all.
     * Must cost a fixed number of round trips whatever the number of ids (pipelining). The default
     * knows nothing and reports none missing.
     *
     * @return the missing ids, a subset of {@code entryIds}
     * @throws Exception when the destination could not be asked (then nothing may be concluded)
     */
    default Set<String> missingEntries(String stream, List<String> entryIds) throws Exception {
        return Set.of();
    }

    /**
     * Forgets that the messages {@code messageIds} of {@code stream} were sent, so that the next
     * {@link #send} of them adds them again instead of reporting a duplicate. Called before a lost
     * message is sent again. The default does nothing (a sink without de-duplication).
     *
     * @throws Exception when the destination could not be reached; the messages must then not be resent
     */
    default void forget(String stream, Collection<UUID> messageIds) throws Exception {}

    /**
     * One cheap call that succeeds only when the destination is reachable (Redis: {@code PING}). The
     * publisher makes it through its guard while the breaker is half-open and there is nothing to
     * send, so the breaker can close without traffic. The default does nothing.
     *
     * @throws Exception when the destination is unavailable
     */
    default void probe() throws Exception {}

    /** Releases the sink's connections; the default does nothing. */
    @Override
    default void close() {}
}
