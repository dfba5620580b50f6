package org.projectbeacon.outbox.redis;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.projectbeacon.outbox.OutboxMessage;

/**
 * One Redis stream entry delivered to a {@link StreamHandler}, with its fields as the raw bytes Redis
 * holds. For outbox entries ({@link WireFormat}) the typed accessors read the message:
 * {@link #payload()} gives the payload byte for byte, {@link #payloadText()} its UTF-8 view,
 * {@link #messageId()}, {@link #key()}, {@link #contentType()} and {@link #headers()} the rest;
 * {@link #fields()} is a UTF-8 text view of every field, for entries written by others.
 *
 * <p>Immutable and thread-safe: the field values are copied in, and {@link #payload()} and
 * {@link #field(String)} return copies.
 */
public final class StreamEntry {

    private final String stream;
    private final String id;
    private final Map<String, byte[]> raw;
    private final long deliveries;

    /**
     * An entry.
     *
     * @param stream the stream key the entry was read from (a partition's key for a partitioned stream)
     * @param id the entry id
     * @param fields the entry's fields, values as raw bytes
     * @param deliveries how many times the group has delivered it, this time included
     */
    public StreamEntry(String stream, String id, Map<String, byte[]> fields, long deliveries) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.id = Objects.requireNonNull(id, "id");
        Map<String, byte[]> copy = new LinkedHashMap<>();
        fields.forEach((name, value) -> copy.put(name, value == null ? new byte[0] : value.clone()));
        this.raw = Collections.unmodifiableMap(copy);
        this.deliveries = deliveries;
    }

    /** The stream key the entry was read from. */
    public String stream() {
        return stream;
    }

    /** The entry id ({@code <millis>-<seq>}), not the outbox message id: see {@link #messageId()}. */
    public String id() {
        return id;
    }

    /** How many times the group has delivered the entry, this time included. */
    public long deliveries() {
        return deliveries;
    }

    /** Every field as UTF-8 text (malformed bytes become U+FFFD): use {@link #payload()} for the payload. */
    public Map<String, String> fields() {
        Map<String, String> text = new LinkedHashMap<>();
        raw.forEach((name, value) -> text.put(name, WireFormat.text(value)));
        return Collections.unmodifiableMap(text);
    }

    /** The raw bytes of field {@code name} (a copy), empty when the entry has no such field. */
    public Optional<byte[]> field(String name) {
        byte[] value = raw.get(name);
        return value == null ? Optional.empty() : Optional.of(value.clone());
    }

    /** The field names, in the entry's order. */
    public java.util.Set<String> fieldNames() {
        return raw.keySet();
    }

    /** The payload's bytes exactly as enqueued (a copy); empty when the entry has no payload field. */
    public byte[] payload() {
        byte[] p = raw.get(WireFormat.PAYLOAD);
        return p == null ? new byte[0] : p.clone();
    }

    /** The payload decoded as UTF-8 (malformed bytes become U+FFFD); empty when there is none. */
    public String payloadText() {
        byte[] p = raw.get(WireFormat.PAYLOAD);
        return p == null ? "" : WireFormat.text(p);
    }

    /** The outbox message id, when the entry carries one. */
    public Optional<String> messageId() {
        return Optional.ofNullable(WireFormat.text(raw.get(WireFormat.ID)));
    }

    /** The message key, when the message has one. */
    public Optional<String> key() {
        return Optional.ofNullable(WireFormat.text(raw.get(WireFormat.KEY)));
    }

    /** The payload's content type, {@link OutboxMessage#DEFAULT_CONTENT_TYPE} when the entry has none. */
    public String contentType() {
        byte[] c = raw.get(WireFormat.CONTENT_TYPE);
        return c == null ? OutboxMessage.DEFAULT_CONTENT_TYPE : WireFormat.text(c);
    }

    /** The headers ({@code h:<name>} fields), names without the prefix, in field order; unmodifiable. */
    public Map<String, String> headers() {
        return Collections.unmodifiableMap(WireFormat.headers(raw));
    }

    /** The raw fields, not copied: for this package's writers (dead letters), which do not modify them. */
    Map<String, byte[]> rawFields() {
        return raw;
    }

    @Override
    public String toString() {
        return "StreamEntry[stream=" + stream + ", id=" + id + ", fields=" + raw.keySet() + ", deliveries="
                + deliveries + "]";
    }
}
