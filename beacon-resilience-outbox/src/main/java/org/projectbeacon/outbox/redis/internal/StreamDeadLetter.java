package org.projectbeacon.outbox.redis.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.projectbeacon.outbox.OutboxRecord;
import org.projectbeacon.outbox.redis.StreamEntry;
import org.projectbeacon.outbox.redis.WireFormat;

/**
 * Rebuilds the outbox message a stream entry carries, for the dead letter queue: the fields of
 * {@link WireFormat}. Stateless. Not API.
 */
public final class StreamDeadLetter {

    private StreamDeadLetter() {}

    /**
     * The message of {@code entry}, addressed to {@code outboxStream}. An entry that was not written
     * by the outbox (no parsable {@code id}) gets an id derived from its stream and entry id, so the
     * same entry always maps to the same message; a missing payload is empty. Its creation time is the
     * millisecond part of the entry id, when the stream was written to. The payload keeps its bytes,
     * whatever they are.
     */
    public static OutboxRecord record(StreamEntry entry, String outboxStream, int attempts) {
        return new OutboxRecord(id(entry), outboxStream, entry.key().orElse(null), entry.payload(),
                entry.contentType(), entry.headers(), Instant.ofEpochMilli(entryMillis(entry.id())), attempts);
    }

    /** The error recorded for an entry whose handlers never acknowledged it (they crashed or hung). */
    public static IllegalStateException unacknowledged(StreamEntry entry) {
        return new IllegalStateException("entry " + entry.id() + " of " + entry.stream() + " delivered "
                + entry.deliveries() + " times without acknowledgement");
    }

    private static UUID id(StreamEntry entry) {
        String id = entry.messageId().orElse(null);
        if (id != null) {
            try {
                return UUID.fromString(id);
            } catch (IllegalArgumentException e) {
                // not an outbox id: derive one below
            }
        }
        return UUID.nameUUIDFromBytes((entry.stream() + "/" + entry.id()).getBytes(StandardCharsets.UTF_8));
    }

    private static long entryMillis(String entryId) {
        int dash = entryId.indexOf('-');
        try {
            return Long.parseLong(dash < 0 ? entryId : entryId.substring(0, dash));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
