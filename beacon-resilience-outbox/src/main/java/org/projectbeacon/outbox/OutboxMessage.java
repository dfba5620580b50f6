package org.projectbeacon.outbox;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One message to write into the outbox: an id, the Redis stream it goes to, an optional ordering
 * key, a payload with its content type, headers and an optional delay.
 *
 * <p>Immutable and thread-safe (the payload is copied in and out). {@link Builder#build()} checks
 * every field and throws {@link IllegalArgumentException} naming the field and the value; the size
 * limit of the payload is checked by {@link Outbox#enqueue} against {@link OutboxConfig#maxPayloadBytes()}.
 */
public final class OutboxMessage {

    /** Default content type: {@value}. */
    public static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
    /** Stream names: 1–200 characters, letters, digits and {@code : . _ -}, starting with a letter or digit. */
    public static final Pattern STREAM_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:._\\-]{0,199}");
    /** Longest key, in characters: {@value}. */
    public static final int MAX_KEY_LENGTH = 200;

    private final UUID id;
    private final String stream;
    private final String key;
    private final byte[] payload;
    private final String contentType;
    private final Map<String, String> headers;
    private final Duration delay;

    private OutboxMessage(Builder b) {
        this.id = b.id == null ? UUID.randomUUID() : b.id;
        this.stream = b.stream;
        this.key = b.key;
        this.payload = b.payload.clone();
        this.contentType = b.contentType;
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        this.delay = b.delay;
    }

    /** A builder for a message to {@code stream}. */
    public static Builder builder(String stream) {
        return new Builder().stream(stream);
    }

    /** The message id; the caller's (for idempotency) or a random one. */
    public UUID id() {
        return id;
    }

    /** The Redis stream the message is published to. */
    public String stream() {
        return stream;
    }

    /** The ordering key, or {@code null}: messages of one key are published in enqueue order. */
    public String key() {
        return key;
    }

    /** A copy of the payload. */
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload size in bytes. */
    public int payloadSize() {
        return payload.length;
    }

    /** The payload's content type. */
    public String contentType() {
        return contentType;
    }

    /** The headers, in insertion order; unmodifiable. */
    public Map<String, String> headers() {
        return headers;
    }

    /** How long after enqueue the message becomes publishable; zero for at once. */
    public Duration delay() {
        return delay;
    }

    @Override
    public String toString() {
        return "OutboxMessage[id=" + id + ", stream=" + stream + ", key=" + key + ", size=" + payload.length + "]";
    }

    /** Builds an {@link OutboxMessage}; validates each field in {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private UUID id;
        private String stream;
        private String key;
        private byte[] payload;
        private String contentType = DEFAULT_CONTENT_TYPE;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Duration delay = Duration.ZERO;

        private Builder() {}

        /** The id; default a random UUID. Supplying one makes enqueue idempotent (see {@link Outbox}). */
        public Builder id(UUID id) {
            this.id = id;
            return this;
        }

        /** The target stream; must match {@link OutboxMessage#STREAM_NAME}. */
        public Builder stream(String stream) {
            this.stream = stream;
            return this;
        }

        /** The ordering key, or {@code null} for none. */
        public Builder key(String key) {
            this.key = key;
            return this;
        }

        /** The payload (copied). */
        public Builder payload(byte[] payload) {
            this.payload = payload == null ? null : payload.clone();
            return this;
        }

        /** The payload as UTF-8 text. */
        public Builder payload(String text) {
            this.payload = text == null ? null : text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return this;
        }

        /** The content type; default {@value OutboxMessage#DEFAULT_CONTENT_TYPE}. */
        public Builder contentType(String contentType) {
            this.contentType = contentType;
            return this;
        }

        /** Adds one header. */
        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** The delay before the message may be published; default zero. */
        public Builder delay(Duration delay) {
            this.delay = delay;
            return this;
        }

        /**
         * Builds the message.
         *
         * @throws IllegalArgumentException naming the first invalid field and its value
         */
        public OutboxMessage build() {
            if (stream == null || stream.isEmpty()) {
                throw new IllegalArgumentException("stream must not be null or empty but was " + quote(stream));
            }
            if (!STREAM_NAME.matcher(stream).matches()) {
                throw new IllegalArgumentException("stream must match " + STREAM_NAME + " but was " + quote(stream));
            }
            if (key != null && (key.isEmpty() || key.length() > MAX_KEY_LENGTH)) {
                throw new IllegalArgumentException(
                        "key must be null or 1.." + MAX_KEY_LENGTH + " characters but was " + quote(key));
            }
            if (payload == null) {
                throw new IllegalArgumentException("payload must not be null but was null");
            }
            if (contentType == null || contentType.isBlank() || contentType.length() > 200) {
                throw new IllegalArgumentException(
                        "contentType must be 1..200 non-blank characters but was " + quote(contentType));
            }
            for (Map.Entry<String, String> h : headers.entrySet()) {
                if (h.getKey() == null || h.getKey().isEmpty() || h.getValue() == null) {
                    throw new IllegalArgumentException("headers must have non-empty names and non-null values but had "
                            + quote(h.getKey()) + "=" + quote(h.getValue()));
                }
            }
            if (delay == null || delay.isNegative()) {
                throw new IllegalArgumentException("delay must not be null or negative but was " + delay);
            }
            return new OutboxMessage(this);
        }

        private static String quote(String s) {
            return s == null ? "null" : "'" + s + "'";
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutboxMessage m && id.equals(m.id) && stream.equals(m.stream)
                && Objects.equals(key, m.key) && Arrays.equals(payload, m.payload)
                && contentType.equals(m.contentType) && headers.equals(m.headers) && delay.equals(m.delay);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
