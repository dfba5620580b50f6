package org.projectbeacon.outbox.spi;

import java.util.List;
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

    /** Releases the sink's connections; the default does nothing. */
    @Override
    default void close() {}
}
