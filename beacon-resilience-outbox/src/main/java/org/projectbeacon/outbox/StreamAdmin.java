package org.projectbeacon.outbox;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.PendingMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Operator helpers for Redis streams ("review queue depths", "clear stuck Redis queues if safe"):
 * pending entries per group and consumer, and trim or clear that refuse while anything is pending.
 *
 * <p>Thread-safe; each call uses a short-lived connection of the client, which stays the caller's.
 * The pending check and the trim or delete are separate commands: an entry delivered in between is
 * not seen, so stop the consumers first when it matters.
 */
public final class StreamAdmin {

    /**
     * The pending entries of one consumer group.
     *
     * @param group the group name
     * @param pending entries delivered and not acknowledged
     * @param perConsumer pending entries per consumer, sorted by consumer name
     */
    public record GroupPending(String group, long pending, Map<String, Long> perConsumer) {}

    private final RedisClient client;

    private StreamAdmin(RedisClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** Helpers over {@code client}. */
    public static StreamAdmin create(RedisClient client) {
        return new StreamAdmin(client);
    }

    /** The pending entries of every group of {@code stream}; empty when the stream or groups do not exist. */
    public List<GroupPending> pending(String stream) {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return pending(c.sync(), stream);
        }
    }

    private static List<GroupPending> pending(RedisCommands<String, String> redis, String stream) {
        List<GroupPending> out = new ArrayList<>();
        if (redis.exists(stream) == 0 || !"stream".equals(redis.type(stream))) {
            return out;
        }
        for (Object info : redis.xinfoGroups(stream)) {
            String name = groupName(info);
            if (name == null) {
                continue;
            }
            PendingMessages p = redis.xpending(stream, name);
            out.add(new GroupPending(name, p.getCount(), new TreeMap<>(p.getConsumerMessageCount())));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static String groupName(Object info) {
        // XINFO GROUPS replies with one flat key/value list per group.
        if (info instanceof List<?> list) {
            for (int i = 0; i + 1 < list.size(); i += 2) {
                if ("name".equals(String.valueOf(list.get(i)))) {
                    return String.valueOf(list.get(i + 1));
                }
            }
        } else if (info instanceof Map<?, ?> map) {
            Object n = ((Map<Object, Object>) map).get("name");
            return n == null ? null : n.toString();
        }
        return null;
    }

    /**
     * Deletes {@code stream} when no group has pending entries.
     *
     * @return whether the stream existed
     * @throws IllegalStateException naming the groups and consumers with pending entries
     */
    public boolean clear(String stream) {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisCommands<String, String> redis = c.sync();
            refuseIfPending(redis, stream, "clear");
            return redis.del(stream) == 1;
        }
    }

    /**
     * Trims {@code stream} to at most {@code maxLen} entries (exactly) when no group has pending entries.
     *
     * @return how many entries were removed
     * @throws IllegalStateException naming the groups and consumers with pending entries
     */
    public long trim(String stream, long maxLen) {
        if (maxLen < 0) {
            throw new IllegalArgumentException("maxLen must not be negative but was " + maxLen);
        }
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisCommands<String, String> redis = c.sync();
            refuseIfPending(redis, stream, "trim");
            return redis.xtrim(stream, false, maxLen);
        }
    }

    private static void refuseIfPending(RedisCommands<String, String> redis, String stream, String operation) {
        List<GroupPending> pending = pending(redis, stream).stream().filter(g -> g.pending() > 0).toList();
        if (!pending.isEmpty()) {
            StringBuilder sb = new StringBuilder("refusing to " + operation + " stream " + stream + ": ");
            long total = pending.stream().mapToLong(GroupPending::pending).sum();
            sb.append(total).append(" entries are pending");
            for (GroupPending g : pending) {
                sb.append("; group ").append(g.group()).append(": ").append(g.pending());
                g.perConsumer().forEach((consumer, n) -> sb.append(", ").append(consumer).append('=').append(n));
            }
            throw new IllegalStateException(sb.toString());
        }
    }
}
