package org.projectbeacon.outbox.redis.internal;

import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Consumer-group commands shared by the stream consumer and the stream admin: creating a group,
 * reading {@code XINFO} replies, and removing a consumer only when it holds no pending entry.
 *
 * <p>Stateless; every method runs on the caller's connection. Not API.
 */
public final class StreamGroups {

    /**
     * Deletes a consumer only when it has no pending entry, atomically: {@code XGROUP DELCONSUMER}
     * drops the consumer's pending entries, which would then never be delivered again, so the check
     * and the delete must not be separable by a read of that consumer. KEYS: the stream. ARGV: group,
     * consumer. Returns 1 when deleted (or it did not exist), -1 when it holds pending entries.
     */
    public static final String DELETE_IF_NO_PENDING = """
            local p = redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2])
            if #p > 0 then return -1 end
            redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
            return 1
            """;

    private StreamGroups() {}

    /**
     * Creates {@code group} on {@code stream} from its first entry, creating the stream when missing
     * ({@code XGROUP CREATE ... 0-0 MKSTREAM}); an existing group ({@code BUSYGROUP}) is left as it is.
     *
     * @return whether the group was created now
     */
    public static boolean create(RedisClusterCommands<String, ?> redis, String stream, String group) {
        try {
            redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0-0"), group, XGroupCreateArgs.Builder.mkstream());
            return true;
        } catch (RedisBusyException e) {
            return false; // BUSYGROUP: the group exists already, the normal case
        }
    }

    /** Whether {@code e} is Redis saying the stream or the group does not exist. */
    public static boolean isNoGroup(Throwable e) {
        return e instanceof RedisCommandExecutionException && e.getMessage() != null
                && e.getMessage().startsWith("NOGROUP");
    }

    /**
     * The fields of one row of an {@code XINFO GROUPS} or {@code XINFO CONSUMERS} reply, which is a
     * flat key/value list under RESP2 and may be a map under RESP3.
     */
    public static Map<String, Object> fields(Object row) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (row instanceof List<?> list) {
            for (int i = 0; i + 1 < list.size(); i += 2) {
                out.put(String.valueOf(text(list.get(i))), text(list.get(i + 1)));
            }
        } else if (row instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put(String.valueOf(text(k)), text(v)));
        }
        return out;
    }

    /** Bulk strings arrive as {@code byte[]} on a byte-valued connection (the consumer's): XINFO holds text. */
    private static Object text(Object value) {
        return value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : value;
    }

    /** The {@code XINFO GROUPS} fields of {@code group}, empty when the stream or the group does not exist. */
    public static Optional<Map<String, Object>> group(RedisClusterCommands<String, ?> redis, String stream,
            String group) {
        if (redis.exists(stream) == 0) {
            return Optional.empty();
        }
        for (Object row : redis.xinfoGroups(stream)) {
            Map<String, Object> f = fields(row);
            if (group.equals(String.valueOf(f.get("name")))) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The {@code XINFO CONSUMERS} rows of {@code group}, one field map per consumer. */
    public static List<Map<String, Object>> consumers(RedisClusterCommands<String, ?> redis, String stream,
            String group) {
        return redis.xinfoConsumers(stream, group).stream().map(StreamGroups::fields).toList();
    }

    /** The number in field {@code name}, or -1 when it is absent or nil (such as {@code lag} on Redis before 7). */
    public static long number(Map<String, Object> fields, String name) {
        Object v = fields.get(name);
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * Removes {@code consumer} from {@code group} when it has no pending entry, atomically.
     *
     * @param value encodes the script's arguments in the connection's value type
     * @return whether it is gone; false when it holds pending entries and so was kept
     */
    @SuppressWarnings("unchecked") // generic varargs of two encoded arguments; no heap pollution
    public static <V> boolean deleteConsumerIfNoPending(RedisClusterCommands<String, V> redis, String stream,
            String group, String consumer, Function<String, V> value) {
        Long r = redis.eval(DELETE_IF_NO_PENDING, ScriptOutputType.INTEGER, new String[] {stream}, value.apply(group),
                value.apply(consumer));
        return r != null && r == 1L;
    }
}
