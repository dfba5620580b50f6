package org.projectbeacon.outbox.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * How {@link RedisStreamSink} writes: key prefix, partitions, de-duplication, approximate trimming,
 * timeouts and connection count.
 *
 * <p><b>Keys.</b> A stream's Redis key is {@code <prefix><stream>}; a stream split into N
 * {@linkplain Builder#partitions(String, int) partitions} is written to {@code <prefix><stream>:{0}}
 * ... {@code <prefix><stream>:{N-1}}, a message going to partition {@code crc32(key) mod N} (unkeyed
 * messages: {@code crc32(id) mod N}), so one key's messages stay in one partition, in order. A
 * message's de-duplication key {@code <prefix>beacon:outbox:dedup:{<tag>}:<id>} carries its stream
 * key's hash tag (the text between the stream key's first braces, else the whole stream key), so on
 * a Redis Cluster it lives in its stream's slot and one script can write both.
 *
 * <p>Immutable and thread-safe; the builder validates eagerly and names the parameter and value.
 */
public final class RedisSinkConfig {

    /** Default key prefix: empty (stream keys are the message's stream names). */
    public static final String DEFAULT_KEY_PREFIX = "";
    /** Default {@value}: broker-side de-duplication by message id is on. */
    public static final boolean DEFAULT_DEDUP = true;
    /** Default 24 h: how long a message id is remembered for de-duplication. */
    public static final Duration DEFAULT_DEDUP_TTL = Duration.ofHours(24);
    /** Default {@value}: no trimming; a positive value adds {@code MAXLEN ~ n} to every XADD. */
    public static final long DEFAULT_MAX_LEN = 0;
    /** Default 10 s: how long a pipelined batch may wait for its replies. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(10);
    /** Default {@value}: pooled connections; one per concurrently publishing worker. */
    public static final int DEFAULT_CONNECTIONS = 2;
    /** Default {@value}: a stream is one Redis stream unless partitioned. */
    public static final int DEFAULT_PARTITIONS = 1;
    /** Most partitions of one stream: {@value}. */
    public static final int MAX_PARTITIONS = 1024;

    private final String keyPrefix;
    private final boolean dedup;
    private final Duration dedupTtl;
    private final long maxLen;
    private final Duration commandTimeout;
    private final int connections;
    private final Map<String, Integer> partitions;

    private RedisSinkConfig(Builder b) {
        partitions = Map.copyOf(b.partitions);
        keyPrefix = b.keyPrefix;
        dedup = b.dedup;
        dedupTtl = b.dedupTtl;
        maxLen = b.maxLen;
        commandTimeout = b.commandTimeout;
        connections = b.connections;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Every default. */
    public static RedisSinkConfig defaults() {
        return builder().build();
    }

    /** Prefix of every key the sink writes (streams and de-duplication keys). */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** Whether de-duplication is on. */
    public boolean dedup() {
        return dedup;
    }

    /** De-duplication memory. */
    public Duration dedupTtl() {
        return dedupTtl;
    }

    /** Approximate maximum stream length, 0 for none. */
    public long maxLen() {
        return maxLen;
    }

    /** Reply timeout of a batch. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** Pooled connections. */
    public int connections() {
        return connections;
    }

    /** The partitions of {@code stream}: {@value #DEFAULT_PARTITIONS} unless configured. */
    public int partitions(String stream) {
        return partitions.getOrDefault(stream, DEFAULT_PARTITIONS);
    }

    /** The configured partition counts by stream name; unmodifiable. */
    public Map<String, Integer> partitionedStreams() {
        return partitions;
    }

    /** The Redis key of {@code stream}, or the base of its partitions' keys when it is partitioned. */
    public String streamKey(String stream) {
        return keyPrefix + stream;
    }

    /** The Redis key of partition {@code partition} of {@code stream}: the stream key when it has one partition. */
    public String streamKey(String stream, int partition) {
        int n = partitions(stream);
        if (partition < 0 || partition >= n) {
            throw new IllegalArgumentException("partition must be in 0.." + (n - 1) + " for stream " + stream
                    + " but was " + partition);
        }
        return n == 1 ? streamKey(stream) : partitionKey(streamKey(stream), partition);
    }

    /** Every Redis key of {@code stream}: one, or one per partition in partition order. */
    public List<String> streamKeys(String stream) {
        int n = partitions(stream);
        List<String> keys = new ArrayList<>(n);
        for (int p = 0; p < n; p++) {
            keys.add(streamKey(stream, p));
        }
        return keys;
    }

    /** The partition of a message of {@code stream} with {@code key} (or, when null, {@code id}). */
    public int partition(String stream, String key, UUID id) {
        int n = partitions(stream);
        if (n == 1) {
            return 0;
        }
        CRC32 crc = new CRC32();
        crc.update((key != null ? key : id.toString()).getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % n);
    }

    /** The de-duplication key of message {@code id} written to the Redis stream {@code streamKey}, in its slot. */
    public String dedupKey(String streamKey, UUID id) {
        return keyPrefix + "beacon:outbox:dedup:{" + hashTag(streamKey) + "}:" + id;
    }

    /** The key of partition {@code partition} of the stream whose (unpartitioned) key is {@code base}: {@code base:{p}}. */
    public static String partitionKey(String base, int partition) {
        return base + ":{" + partition + "}";
    }

    /** Redis Cluster's hash tag of {@code key}: the text between its first braces when not empty, else the key. */
    public static String hashTag(String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                return key.substring(open + 1, close);
            }
        }
        return key;
    }

    /** Builds a {@link RedisSinkConfig}. Not thread-safe. */
    public static final class Builder {
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private boolean dedup = DEFAULT_DEDUP;
        private Duration dedupTtl = DEFAULT_DEDUP_TTL;
        private long maxLen = DEFAULT_MAX_LEN;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private int connections = DEFAULT_CONNECTIONS;
        private final Map<String, Integer> partitions = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Splits {@code stream} into {@code partitions} Redis streams ({@code <stream>:{0}} ...), 1..
         * {@value RedisSinkConfig#MAX_PARTITIONS}; 1 (the default) keeps it one stream. Consumers of a
         * partitioned stream need the same count ({@link StreamConsumer.Builder#partitions(int)}).
         * Changing the count moves keys to other partitions: drain the streams first.
         */
        public Builder partitions(String stream, int partitions) {
            if (stream == null || stream.isBlank()) {
                throw new IllegalArgumentException("stream must not be blank but was "
                        + (stream == null ? "null" : "'" + stream + "'"));
            }
            if (partitions < 1 || partitions > MAX_PARTITIONS) {
                throw new IllegalArgumentException("partitions must be in 1.." + MAX_PARTITIONS + " but was "
                        + partitions + " for stream " + stream);
            }
            this.partitions.put(stream, partitions);
            return this;
        }

        /** Key prefix, at most 100 characters, no whitespace; default empty. */
        public Builder keyPrefix(String keyPrefix) {
            if (keyPrefix == null || keyPrefix.length() > 100 || keyPrefix.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("keyPrefix must be at most 100 characters without whitespace but was "
                        + (keyPrefix == null ? "null" : "'" + keyPrefix + "'"));
            }
            this.keyPrefix = keyPrefix;
            return this;
        }

        /** De-duplication on or off; default on. */
        public Builder dedup(boolean dedup) {
            this.dedup = dedup;
            return this;
        }

        /** De-duplication TTL, at least 1 s; default 24 h. */
        public Builder dedupTtl(Duration dedupTtl) {
            if (dedupTtl == null || dedupTtl.getSeconds() < 1) {
                throw new IllegalArgumentException("dedupTtl must be at least 1 s but was " + dedupTtl);
            }
            this.dedupTtl = dedupTtl;
            return this;
        }

        /** Approximate MAXLEN, 0 for none; default 0. */
        public Builder maxLen(long maxLen) {
            if (maxLen < 0) {
                throw new IllegalArgumentException("maxLen must not be negative but was " + maxLen);
            }
            this.maxLen = maxLen;
            return this;
        }

        /** Batch reply timeout, positive; default 10 s. */
        public Builder commandTimeout(Duration commandTimeout) {
            if (commandTimeout == null || commandTimeout.isNegative() || commandTimeout.isZero()) {
                throw new IllegalArgumentException("commandTimeout must be positive but was " + commandTimeout);
            }
            this.commandTimeout = commandTimeout;
            return this;
        }

        /** Pooled connections, 1..64; default {@value RedisSinkConfig#DEFAULT_CONNECTIONS}. */
        public Builder connections(int connections) {
            if (connections < 1 || connections > 64) {
                throw new IllegalArgumentException("connections must be in 1..64 but was " + connections);
            }
            this.connections = connections;
            return this;
        }

        /** Builds the configuration. */
        public RedisSinkConfig build() {
            return new RedisSinkConfig(this);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RedisSinkConfig c && keyPrefix.equals(c.keyPrefix) && dedup == c.dedup
                && dedupTtl.equals(c.dedupTtl) && maxLen == c.maxLen && commandTimeout.equals(c.commandTimeout)
                && connections == c.connections && partitions.equals(c.partitions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyPrefix, dedup, dedupTtl, maxLen, commandTimeout, connections, partitions);
    }
}
