package org.projectbeacon.outbox.redis;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.projectbeacon.outbox.OutboxRecord;

/**
 * The outbox's stream entry format, the one place both ends take it from: {@link RedisStreamSink}
 * writes it, {@link StreamConsumer} and {@link StreamEntry} read it.
 *
 * <table>
 * <caption>Fields of an outbox stream entry, in this order</caption>
 * <tr><th>field</th><th>value</th></tr>
 * <tr><td>{@value #ID}</td><td>the outbox message id, a UUID in text</td></tr>
 * <tr><td>{@value #KEY}</td><td>the message key (UTF-8), only when the message has one</td></tr>
 * <tr><td>{@value #CONTENT_TYPE}</td><td>the payload's content type (UTF-8)</td></tr>
 * <tr><td>{@value #PAYLOAD}</td><td>the payload, raw bytes exactly as enqueued (any byte, any length, may be empty)</td></tr>
 * <tr><td>{@value #HEADER_PREFIX}{@code <name>}</td><td>one per header, the value in UTF-8</td></tr>
 * </table>
 *
 * <p>Field names and every value but the payload are UTF-8 text. The payload is never decoded on the
 * way: both ends use {@link #CODEC} (UTF-8 keys and field names, byte values), so a protobuf or
 * compressed payload arrives byte for byte.
 *
 * <p>Stateless and thread-safe.
 */
public final class WireFormat {

    /** Field of the outbox message id: {@value}. */
    public static final String ID = "id";
    /** Field of the message key, absent for unkeyed messages: {@value}. */
    public static final String KEY = "key";
    /** Field of the payload's content type: {@value}. */
    public static final String CONTENT_TYPE = "content-type";
    /** Field of the payload's raw bytes: {@value}. */
    public static final String PAYLOAD = "payload";
    /** Prefix of header fields: {@value}. */
    public static final String HEADER_PREFIX = "h:";

    /** The byte-safe codec of both ends: keys and field names UTF-8 text, values raw bytes. */
    public static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private WireFormat() {}

    /** The fields of {@code record}'s entry, in wire order; the payload array is the record's own. */
    public static Map<String, byte[]> encode(OutboxRecord record) {
        Map<String, byte[]> body = new LinkedHashMap<>();
        body.put(ID, utf8(record.id().toString()));
        if (record.key() != null) {
            body.put(KEY, utf8(record.key()));
        }
        body.put(CONTENT_TYPE, utf8(record.contentType()));
        body.put(PAYLOAD, record.payload());
        for (Map.Entry<String, String> h : record.headers().entrySet()) {
            body.put(HEADER_PREFIX + h.getKey(), utf8(h.getValue()));
        }
        return body;
    }

    /** The headers among {@code fields}: names without the prefix, values decoded as UTF-8, in field order. */
    public static Map<String, String> headers(Map<String, byte[]> fields) {
        Map<String, String> headers = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (name.startsWith(HEADER_PREFIX)) {
                headers.put(name.substring(HEADER_PREFIX.length()), text(value));
            }
        });
        return headers;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes UTF-8, replacing malformed input: for the text fields and the payload's text view. */
    static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
