package org.projectbeacon.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.projectbeacon.outbox.spi.OutboxDialect;

/**
 * Where and how the outbox is stored: the dialect, the table prefix, the payload limit and the clock
 * of creation and availability times.
 *
 * <p><b>Dialect.</b> Set it with {@link Builder#dialect}, or leave it unset: then the outbox, the
 * publisher, the monitor, the dead letter queue and the reconciler detect it from the database
 * product the first time they use a connection (building them does no I/O), and a database with no
 * built-in dialect fails there with {@link IllegalArgumentException} naming the product.
 * {@link #withDetectedDialect(DataSource)} detects it up front.
 *
 * <p><b>Clocks.</b> Creation and availability times ({@code created_at}, {@code available_at}, the
 * stuck-job ages) are read from {@link #clock()}. Publisher leases are not: they are written and
 * compared with the database's clock, so hosts with skewed clocks never take over a live lease
 * (see {@link PublisherConfig#leaseClock()}).
 *
 * <p>Immutable and thread-safe. The builder validates each value as it is set and throws
 * {@link IllegalArgumentException} naming the parameter and the rejected value.
 *
 * <p>Tables: {@code <prefix>outbox} and {@code <prefix>outbox_dead_letter}; with PostgreSQL the
 * notification channel is {@code <prefix>outbox}.
 */
public final class OutboxConfig {

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

    private OutboxConfig(OutboxConfig other, OutboxDialect dialect) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.tablePrefix = other.tablePrefix;
        this.maxPayloadBytes = other.maxPayloadBytes;
        this.clock = other.clock;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The dialect.
     *
     * @throws IllegalStateException when none was set nor detected: use {@link #withDetectedDialect}
     */
    public OutboxDialect dialect() {
        if (dialect == null) {
            throw new IllegalStateException("dialect must be set or detected but was not set; call"
                    + " OutboxConfig.Builder.dialect or OutboxConfig.withDetectedDialect(dataSource)");
        }
        return dialect;
    }

    /** The dialect set on the builder or detected, or empty when it is still to be detected. */
    public Optional<OutboxDialect> configuredDialect() {
        return Optional.ofNullable(dialect);
    }

    /**
     * This configuration with the dialect of the database behind {@code connection}, detected from
     * its product name; this configuration itself when a dialect is set already.
     *
     * @throws IllegalArgumentException naming the database product when no built-in dialect fits it
     */
    public OutboxConfig withDetectedDialect(Connection connection) throws SQLException {
        return dialect != null ? this : new OutboxConfig(this, OutboxDialect.detect(connection));
    }

    /**
     * As {@link #withDetectedDialect(Connection)}, on a connection of {@code dataSource} (taken only
     * when the dialect is still to be detected).
     */
    public OutboxConfig withDetectedDialect(DataSource dataSource) throws SQLException {
        return dialect != null ? this : new OutboxConfig(this, OutboxDialect.detect(dataSource));
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

    /** The clock of creation and availability times (not of leases, see the class comment). */
    public Clock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "OutboxConfig[dialect=" + (dialect == null ? "detect" : dialect.name()) + ", tablePrefix='" + tablePrefix
                + "', maxPayloadBytes=" + maxPayloadBytes + "]";
    }

    /** Builds an {@link OutboxConfig}. Not thread-safe. */
    public static final class Builder {
        private OutboxDialect dialect;
        private String tablePrefix = DEFAULT_TABLE_PREFIX;
        private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** The dialect; default none: detected from the database on first use (see the class comment). */
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
