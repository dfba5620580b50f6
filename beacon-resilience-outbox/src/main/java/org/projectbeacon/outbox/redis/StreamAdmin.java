package org.projectbeacon.outbox.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.models.stream.PendingMessages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.projectbeacon.outbox.redis.internal.StreamGroups;

/**
 * Operator helpers for Redis streams ("review queue depths", "clear stuck Redis queues if safe"):
 * pending entries per group and consumer, trim or clear that refuse while anything is pending, and
 * removal of idle consumer names that hold nothing.
 *
 * <p>Every call names one stream key: for a partitioned stream call it once per partition key
 * ({@link RedisSinkConfig#streamKeys(String)}). Works on a single Redis, a Sentinel set and a cluster.
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

    private final RedisConnector connector;

    private StreamAdmin(RedisConnector connector) {
        this.connector = Objects.requireNonNull(connector, "connector");
    }

    /** Helpers over a single Redis or a Sentinel set. */
    public static StreamAdmin create(RedisClient client) {
        return new StreamAdmin(RedisConnector.of(client));
    }

    /** Helpers over a Redis Cluster. */
    public static StreamAdmin create(RedisClusterClient client) {
        return new StreamAdmin(RedisConnector.of(client));
    }

    /** Helpers through {@code connector}, which stays the caller's. */
    public static StreamAdmin create(RedisConnector connector) {
        return new StreamAdmin(connector);
    }

    /** The pending entries of every group of {@code stream}; empty when the stream or groups do not exist. */
    public List<GroupPending> pending(String stream) {
        try (RedisConnection<String, String> c = connector.connect()) {
            return pending(c.sync(), stream);
        }
    }

    private static List<GroupPending> pending(RedisClusterCommands<String, String> redis, String stream) {
        List<GroupPending> out = new ArrayList<>();
        if (redis.exists(stream) == 0 || !"stream".equals(redis.type(stream))) {
            return out;
        }
        for (Object info : redis.xinfoGroups(stream)) {
            Object n = StreamGroups.fields(info).get("name");
            if (n == null) {
                continue;
            }
            String name = n.toString();
            PendingMessages p = redis.xpending(stream, name);
            out.add(new GroupPending(name, p.getCount(), new TreeMap<>(p.getConsumerMessageCount())));
        }
        return out;
    }

    /**
     * Deletes {@code stream} when no group has pending entries.
     *
     * @return whether the stream existed
     * @throws IllegalStateException naming the groups and consumers with pending entries
     */
    public boolean clear(String stream) {
        try (RedisConnection<String, String> c = connector.connect()) {
            RedisClusterCommands<String, String> redis = c.sync();
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
        try (RedisConnection<String, String> c = connector.connect()) {
            RedisClusterCommands<String, String> redis = c.sync();
            refuseIfPending(redis, stream, "trim");
            return redis.xtrim(stream, false, maxLen);
        }
    }

    private static void refuseIfPending(RedisClusterCommands<String, String> redis, String stream, String operation) {
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

    /**
     * Removes from {@code group} the consumers idle for at least {@code idleAtLeast} (by Redis'
     * {@code idle} of {@code XINFO CONSUMERS}) that hold no pending entry: the names consumers that
     * stopped uncleanly or were renamed leave behind. Each removal checks and deletes atomically, so a
     * consumer that read entries meanwhile keeps its name and its entries; a live consumer removed
     * while idle is recreated by Redis at its next read.
     *
     * @return the removed consumer names, sorted; empty when the stream or group does not exist
     * @throws IllegalArgumentException when {@code idleAtLeast} is null or negative
     */
    public List<String> removeIdleConsumers(String stream, String group, Duration idleAtLeast) {
        if (idleAtLeast == null || idleAtLeast.isNegative()) {
            throw new IllegalArgumentException("idleAtLeast must not be negative but was " + idleAtLeast);
        }
        try (RedisConnection<String, String> c = connector.connect()) {
            RedisClusterCommands<String, String> redis = c.sync();
            if (StreamGroups.group(redis, stream, group).isEmpty()) {
                return List.of();
            }
            List<String> removed = new ArrayList<>();
            for (Map<String, Object> consumer : StreamGroups.consumers(redis, stream, group)) {
                String name = String.valueOf(consumer.get("name"));
                if (StreamGroups.number(consumer, "pending") == 0
                        && StreamGroups.number(consumer, "idle") >= idleAtLeast.toMillis()
                        && StreamGroups.deleteConsumerIfNoPending(redis, stream, group, name, v -> v)) {
                    removed.add(name);
                }
            }
            removed.sort(null);
            return removed;
        }
    }
}
