package org.projectbeacon.outbox;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A message as stored in the outbox and handed to a sink: what was enqueued plus its creation time
 * and the attempts made so far.
 *
 * <p>Immutable; the payload array is shared for speed on the publishing path, so sinks must not
 * modify it.
 *
 * @param id the message id
 * @param stream the target stream
 * @param key the ordering key or {@code null}
 * @param payload the payload bytes (do not modify)
 * @param contentType the payload content type
 * @param headers the headers, unmodifiable
 * @param createdAt when the message was enqueued (or requeued)
 * @param attempts failed attempts so far
 */
public record OutboxRecord(UUID id, String stream, String key, byte[] payload, String contentType,
        Map<String, String> headers, Instant createdAt, int attempts) {

    /** Checks the fields that must be present. */
    public OutboxRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(contentType, "contentType");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
