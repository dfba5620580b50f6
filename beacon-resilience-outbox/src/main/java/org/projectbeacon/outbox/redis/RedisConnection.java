package org.projectbeacon.outbox.redis;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.Objects;

/**
 * One connection from a {@link RedisConnector}: to a single Redis, a Sentinel-managed primary or a
 * Redis Cluster, behind the command interfaces the three share. On a cluster every keyed command is
 * routed to the master of its key's slot (so a script's keys must share one slot), and with
 * auto-flush off {@link #flushCommands()} sends the queued commands to every master at once.
 *
 * <p>Thread-safe as Lettuce's connections are; closing it is the holder's job.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class RedisConnection<K, V> implements AutoCloseable {

    private final StatefulConnection<K, V> stateful;
    private final RedisClusterCommands<K, V> sync;
    private final RedisClusterAsyncCommands<K, V> async;

    RedisConnection(StatefulConnection<K, V> stateful, RedisClusterCommands<K, V> sync,
            RedisClusterAsyncCommands<K, V> async) {
        this.stateful = Objects.requireNonNull(stateful, "stateful");
        this.sync = sync;
        this.async = async;
    }

    /** Lettuce's connection: listeners, timeouts, auto-flush. */
    public StatefulConnection<K, V> stateful() {
        return stateful;
    }

    /** Blocking commands. */
    public RedisClusterCommands<K, V> sync() {
        return sync;
    }

    /** Asynchronous commands; with auto-flush off they are sent by {@link #flushCommands()}. */
    public RedisClusterAsyncCommands<K, V> async() {
        return async;
    }

    /** Turns automatic flushing of commands on or off (off: pipelining until {@link #flushCommands()}). */
    public void setAutoFlushCommands(boolean autoFlush) {
        stateful.setAutoFlushCommands(autoFlush);
    }

    /** Sends the queued commands (on a cluster: to every node that has some). */
    public void flushCommands() {
        stateful.flushCommands();
    }

    /** Whether the connection is open (it may still be reconnecting). */
    public boolean isOpen() {
        return stateful.isOpen();
    }

    /** Closes without waiting. */
    public void closeAsync() {
        stateful.closeAsync();
    }

    @Override
    public void close() {
        stateful.close();
    }
}
