package org.projectbeacon.outbox.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the outbox's Redis side connects: a single Redis or a Sentinel-managed primary (a
 * {@link RedisClient}, whose {@code redis-sentinel://} URI makes Lettuce ask the sentinels for the
 * current primary at every connect and reconnect), or a Redis Cluster (a {@link RedisClusterClient}).
 * {@link RedisStreamSink}, {@link StreamConsumer}, {@link StreamAdmin} and beacon-health's Redis checks
 * all connect through it, so each runs unchanged on all three.
 *
 * <p>URIs for {@link #create(String)}: {@code redis://}, {@code rediss://} and
 * {@code redis-sentinel://h1:26379,h2:26379#mymaster} for a single server or a Sentinel set;
 * {@code redis+cluster://h1:7000,h2:7001} (or {@code rediss+cluster://}) for a cluster, any reachable
 * nodes as seeds.
 *
 * <p>Thread-safe; no I/O happens until {@link #connect}. A connector made with {@code of} leaves the
 * client to its caller; one made with {@link #create(String)} owns it and shuts it down on
 * {@link #close()}.
 */
public final class RedisConnector implements AutoCloseable {

    /** Scheme suffix that selects a cluster in {@link #create(String)}: {@value}. */
    public static final String CLUSTER_SCHEME_SUFFIX = "+cluster";
    /** 5 s: how often a cluster client made by {@link #create(String)} refreshes its view of the topology. */
    public static final Duration CLUSTER_REFRESH = Duration.ofSeconds(5);

    private final RedisClient standalone;
    private final RedisClusterClient cluster;
    private final boolean owned;

    private RedisConnector(RedisClient standalone, RedisClusterClient cluster, boolean owned) {
        this.standalone = standalone;
        this.cluster = cluster;
        this.owned = owned;
    }

    /** A connector over a single Redis or a Sentinel set; the caller keeps owning {@code client}. */
    public static RedisConnector of(RedisClient client) {
        return new RedisConnector(Objects.requireNonNull(client, "client"), null, false);
    }

    /**
     * A connector over a Redis Cluster; the caller keeps owning {@code client}. Give the client
     * adaptive and periodic topology refresh ({@link ClusterTopologyRefreshOptions}), so that after a
     * failover it finds the new masters instead of waiting for a redirect.
     */
    public static RedisConnector of(RedisClusterClient client) {
        return new RedisConnector(null, Objects.requireNonNull(client, "client"), false);
    }

    /**
     * A connector that owns a client made from {@code uri}: a cluster client with all adaptive refresh
     * triggers and a periodic refresh every {@link #CLUSTER_REFRESH} for {@code redis+cluster://} and
     * {@code rediss+cluster://}, otherwise a {@link RedisClient}. Makes no connection.
     *
     * @throws IllegalArgumentException naming the URI's scheme when it is not a Redis URI (the URI
     *     itself is not repeated: it may carry a password)
     */
    public static RedisConnector create(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("uri must not be blank but was " + (uri == null ? "null" : "''"));
        }
        int colon = uri.indexOf("://");
        String scheme = colon < 0 ? "" : uri.substring(0, colon).toLowerCase(Locale.ROOT);
        if (scheme.endsWith(CLUSTER_SCHEME_SUFFIX)) {
            String plain = scheme.substring(0, scheme.length() - CLUSTER_SCHEME_SUFFIX.length());
            List<RedisURI> seeds = new ArrayList<>();
            for (String host : uri.substring(colon + 3).split(",")) {
                seeds.add(RedisURI.create(plain + "://" + host));
            }
            RedisClusterClient client = RedisClusterClient.create(seeds);
            client.setOptions(ClusterClientOptions.builder()
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder().enableAllAdaptiveRefreshTriggers()
                            .enablePeriodicRefresh(CLUSTER_REFRESH).build())
                    .build());
            return new RedisConnector(null, client, true);
        }
        if (!scheme.equals("redis") && !scheme.equals("rediss") && !scheme.equals("redis-sentinel")
                && !scheme.equals("rediss-sentinel") && !scheme.equals("redis-socket")) {
            throw new IllegalArgumentException("uri must use redis://, rediss://, redis-sentinel:// or"
                    + " redis+cluster:// but had scheme '" + scheme + "'");
        }
        return new RedisConnector(RedisClient.create(uri), null, true);
    }

    /** Whether this is a Redis Cluster. */
    public boolean cluster() {
        return cluster != null;
    }

    /** The client connections come from. */
    public AbstractRedisClient client() {
        return cluster != null ? cluster : standalone;
    }

    /** A new connection with {@code codec}; the caller closes it. */
    public <K, V> RedisConnection<K, V> connect(RedisCodec<K, V> codec) {
        if (cluster != null) {
            StatefulRedisClusterConnection<K, V> c = cluster.connect(codec);
            return new RedisConnection<>(c, c.sync(), c.async());
        }
        StatefulRedisConnection<K, V> c = standalone.connect(codec);
        return new RedisConnection<>(c, c.sync(), c.async());
    }

    /** A new connection with UTF-8 string keys and values; the caller closes it. */
    public RedisConnection<String, String> connect() {
        return connect(StringCodec.UTF8);
    }

    /** Shuts the client down when this connector made it; otherwise does nothing. */
    @Override
    public void close() {
        if (owned) {
            client().shutdown();
        }
    }
}
