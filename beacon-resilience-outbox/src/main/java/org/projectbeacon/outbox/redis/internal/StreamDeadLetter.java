package org.projectbeacon.outbox.redis.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.projectbeacon.outbox.OutboxMessage;
import org.projectbeacon.outbox.OutboxRecord;
import org.projectbeacon.outbox.redis.StreamEntry;

/**
 * Rebuilds the outbox message a stream entry carries, for the dead letter queue: the fields
 * {@code RedisStreamSink} writes ({@code id}, {@code key}, {@code content-type}, {@code payload},
 * {@code h:<name>}). Stateless. Not API.
 */
public final class StreamDeadLetter {

    private static final String HEADER_PREFIX = "h:";

    private StreamDeadLetter() {}

    /**
     * The message of {@code entry}, addressed to {@code outboxStream}. An entry that was not written
     * by the outbox (no parsable {@code id}) gets an id derived from its stream and entry id, so the
     * same entry always maps to the same message; a missing payload is empty. Its creation time is the
     * millisecond part of the entry id, when the stream was written to. The payload is the field's
     * UTF-8 text, as the consumer reads it.
     */
    public static OutboxRecord record(StreamEntry entry, String outboxStream, int attempts) {
        Map<String, String> f = entry.fields();
        Map<String, String> headers = new LinkedHashMap<>();
        f.forEach((name, value) -> {
            if (name.startsWith(HEADER_PREFIX)) {
                headers.put(name.substring(HEADER_PREFIX.length()), value);
            }
        });
        String contentType = f.getOrDefault("content-type", OutboxMessage.DEFAULT_CONTENT_TYPE);
        byte[] payload = f.getOrDefault("payload", "").getBytes(StandardCharsets.UTF_8);
        return new OutboxRecord(id(entry), outboxStream, f.get("key"), payload, contentType, headers,
                Instant.ofEpochMilli(entryMillis(entry.id())), attempts);
    }

    /** The error recorded for an entry whose handlers never acknowledged it (they crashed or hung). */
    public static IllegalStateException unacknowledged(StreamEntry entry) {
        return new IllegalStateException("entry " + entry.id() + " of " + entry.stream() + " delivered "
                + entry.deliveries() + " times without acknowledgement");
    }

    private static UUID id(StreamEntry entry) {
        String id = entry.fields().get("id");
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
