package org.projectbeacon.outbox;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.projectbeacon.outbox.spi.OutboxDialect;

/**
 * Where and how the {@link ProcessingLedger} is stored: the dialect, the table prefix, the lease
 * duration, the owner name written on each lease and the clock leases are read from.
 *
 * <p><b>Clock.</b> By default leases are compared with the database's clock (one clock for every
 * host, so a host whose clock runs ahead never takes over a lease that is still live);
 * {@link Builder#clock(Clock)} switches to an application clock, which the hosts sharing the ledger
 * must then keep synchronised.
 *
 * <p>Immutable and thread-safe. The builder validates each value as it is set and throws
 * {@link IllegalArgumentException} naming the parameter and the rejected value.
 *
 * <p>Table: {@code <prefix>processing_ledger}.
 */
public final class LedgerConfig {

    /** Default dialect: H2, the embedded default. */
    public static final OutboxDialect DEFAULT_DIALECT = OutboxDialect.h2();
    /** Default table prefix: empty. */
    public static final String DEFAULT_TABLE_PREFIX = "";
    /**
     * Default lease: 5 minutes. A handler that runs longer renews its lease; a handler that dies is
     * taken over once this has passed.
     */
    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofMinutes(5);
    /** Owner names: 1 to 200 printable ASCII characters, the width of the {@code owner} column. */
    public static final Pattern OWNER = Pattern.compile("[\\x21-\\x7e][\\x20-\\x7e]{0,199}");

    private final OutboxDialect dialect;
    private final String tablePrefix;
    private final Duration leaseDuration;
    private final String owner;
    private final Clock clock;

    private LedgerConfig(Builder b) {
        this.dialect = b.dialect;
        this.tablePrefix = b.tablePrefix;
        this.leaseDuration = b.leaseDuration;
        this.owner = b.owner;
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

    /** The ledger table name, {@code <prefix>processing_ledger}. */
    public String ledgerTable() {
        return tablePrefix + "processing_ledger";
    }

    /** How long an acquired or renewed lease lasts. */
    public Duration leaseDuration() {
        return leaseDuration;
    }

    /** The owner name written on the leases this ledger acquires (for operators; fencing uses tokens). */
    public String owner() {
        return owner;
    }

    /** The application clock of lease times, or empty when the database's clock is used (the default). */
    public Optional<Clock> clock() {
        return Optional.ofNullable(clock);
    }

    /** Builds a {@link LedgerConfig}. Not thread-safe. */
    public static final class Builder {
        private OutboxDialect dialect = DEFAULT_DIALECT;
        private String tablePrefix = DEFAULT_TABLE_PREFIX;
        private Duration leaseDuration = DEFAULT_LEASE_DURATION;
        // Unique per process without I/O (no host name lookup): pid plus a random part.
        private String owner = "pid-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
        private Clock clock;

        private Builder() {}

        /** The dialect; default {@link #DEFAULT_DIALECT}. */
        public Builder dialect(OutboxDialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /**
         * The table prefix; must match {@link OutboxConfig#TABLE_PREFIX}, validated by the outbox's own
         * rule so that one prefix serves both; default empty.
         */
        public Builder tablePrefix(String tablePrefix) {
            this.tablePrefix = OutboxConfig.builder().tablePrefix(tablePrefix).build().tablePrefix();
            return this;
        }

        /** The lease duration; at least 1 ms; default {@link #DEFAULT_LEASE_DURATION}. */
        public Builder leaseDuration(Duration leaseDuration) {
            if (leaseDuration == null || leaseDuration.toMillis() < 1) {
                throw new IllegalArgumentException("leaseDuration must be at least 1 ms but was " + leaseDuration);
            }
            this.leaseDuration = leaseDuration;
            return this;
        }

        /** The owner name; must match {@link #OWNER}; default {@code pid-<pid>-<random>}. */
        public Builder owner(String owner) {
            if (owner == null || !OWNER.matcher(owner).matches()) {
                throw new IllegalArgumentException("owner must match " + OWNER + " but was "
                        + (owner == null ? "null" : "'" + owner + "'"));
            }
            this.owner = owner;
            return this;
        }

        /**
         * Keeps lease times on {@code clock} instead of the database's clock (see the class comment);
         * tests use it to move time by hand.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Keeps lease times on the database's clock, the default. */
        public Builder databaseClock() {
            this.clock = null;
            return this;
        }

        /** Builds the configuration. */
        public LedgerConfig build() {
            return new LedgerConfig(this);
        }
    }
}
