package org.projectbeacon.outbox;

import java.time.Clock;
import java.util.Objects;
import java.util.regex.Pattern;
import org.projectbeacon.outbox.spi.OutboxDialect;

/**
 * Where and how the outbox is stored: the dialect, the table prefix, the payload limit and the clock
 * every stored time is read from.
 *
 * <p>Immutable and thread-safe. The builder validates each value as it is set and throws
 * {@link IllegalArgumentException} naming the parameter and the rejected value.
 *
 * <p>Tables: {@code <prefix>outbox} and {@code <prefix>outbox_dead_letter}; with PostgreSQL the
 * notification channel is {@code <prefix>outbox}.
 */
public final class OutboxConfig {

    /** Default dialect: H2, the embedded default. */
    public static final OutboxDialect DEFAULT_DIALECT = OutboxDialect.h2();
    /** Default table prefix: empty. */
    public static final String DEFAULT_TABLE_PREFIX = "";
    /** Default payload limit: 1 MiB ({@value} bytes). */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1 << 20;
    /**
     * Table prefixes: lower-case letters, digits and underscores, at most 30 characters, starting
     * with a letter; lower case so that unquoted identifiers and the notification channel agree.
     */
    public static final Pattern TABLE_PREFIX = Pattern.compile("([a-z][a-z0-9_]{0,29})?");

    private final OutboxDialect dialect;
    private final String tablePrefix;
    private final int maxPayloadBytes;
    private final Clock clock;

    private OutboxConfig(Builder b) {
        this.dialect = b.dialect;
        this.tablePrefix = b.tablePrefix;
        this.maxPayloadBytes = b.maxPayloadBytes;
        this.clock = b.clock;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The dialect. */
    public OutboxDialect dialect() {
        return dialect;
    }

    /** The table prefix. */
    public String tablePrefix() {
        return tablePrefix;
    }

    /** The outbox table name. */
    public String outboxTable() {
        return tablePrefix + "outbox";
    }

    /** The dead letter table name. */
    public String deadLetterTable() {
        return tablePrefix + "outbox_dead_letter";
    }

    /** The PostgreSQL notification channel. */
    public String notifyChannel() {
        return tablePrefix + "outbox";
    }

    /** The largest accepted payload in bytes. */
    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /** The clock of creation, availability and lease times. */
    public Clock clock() {
        return clock;
    }

    /** Builds an {@link OutboxConfig}. Not thread-safe. */
    public static final class Builder {
        private OutboxDialect dialect = DEFAULT_DIALECT;
        private String tablePrefix = DEFAULT_TABLE_PREFIX;
        private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** The dialect; default {@link #DEFAULT_DIALECT}. */
        public Builder dialect(OutboxDialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /** The table prefix; must match {@link #TABLE_PREFIX}; default empty. */
        public Builder tablePrefix(String tablePrefix) {
            if (tablePrefix == null || !TABLE_PREFIX.matcher(tablePrefix).matches()) {
                throw new IllegalArgumentException("tablePrefix must match " + TABLE_PREFIX + " but was "
                        + (tablePrefix == null ? "null" : "'" + tablePrefix + "'"));
            }
            this.tablePrefix = tablePrefix;
            return this;
        }

        /** The payload limit in bytes, at least 1; default {@value #DEFAULT_MAX_PAYLOAD_BYTES}. */
        public Builder maxPayloadBytes(int maxPayloadBytes) {
            if (maxPayloadBytes < 1) {
                throw new IllegalArgumentException("maxPayloadBytes must be at least 1 but was " + maxPayloadBytes);
            }
            this.maxPayloadBytes = maxPayloadBytes;
            return this;
        }

        /** The clock; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Builds the configuration. */
        public OutboxConfig build() {
            return new OutboxConfig(this);
        }
    }
}
