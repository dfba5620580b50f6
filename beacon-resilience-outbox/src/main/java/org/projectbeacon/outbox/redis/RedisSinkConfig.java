package org.projectbeacon.outbox.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link RedisStreamSink} writes: key prefix, de-duplication, approximate trimming, timeouts and
 * connection count.
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

    private final String keyPrefix;
    private final boolean dedup;
    private final Duration dedupTtl;
    private final long maxLen;
    private final Duration commandTimeout;
    private final int connections;

    private RedisSinkConfig(Builder b) {
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

    /** The Redis key of {@code stream}. */
    public String streamKey(String stream) {
        return keyPrefix + stream;
    }

    /** The de-duplication key of a message id. */
    public String dedupKey(java.util.UUID id) {
        return keyPrefix + "beacon:outbox:dedup:" + id;
    }

    /** Builds a {@link RedisSinkConfig}. Not thread-safe. */
    public static final class Builder {
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private boolean dedup = DEFAULT_DEDUP;
        private Duration dedupTtl = DEFAULT_DEDUP_TTL;
        private long maxLen = DEFAULT_MAX_LEN;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private int connections = DEFAULT_CONNECTIONS;

        private Builder() {}

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
                && connections == c.connections;
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyPrefix, dedup, dedupTtl, maxLen, commandTimeout, connections);
    }
}
