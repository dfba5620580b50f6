package org.projectbeacon.outbox.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Function;
import javax.sql.DataSource;
import org.projectbeacon.outbox.OutboxConfig;

/**
 * A store made from an {@link OutboxConfig} once its dialect is known: at once when the
 * configuration names one, otherwise detected from the first connection it is asked with (no I/O
 * before that). Thread-safe: a race makes the store twice, and both are equal.
 */
public final class DialectBound<S> {

    private final OutboxConfig config;
    private final Function<OutboxConfig, S> factory;
    private volatile S store;

    /** A store of {@code factory} over {@code config}. */
    public DialectBound(OutboxConfig config, Function<OutboxConfig, S> factory) {
        this.config = Objects.requireNonNull(config, "config");
        this.factory = Objects.requireNonNull(factory, "factory");
        if (config.configuredDialect().isPresent()) {
            this.store = factory.apply(config);
        }
    }

    /**
     * The store, detecting the dialect from {@code c} the first time when none is configured.
     *
     * @throws IllegalArgumentException naming the database product when no built-in dialect fits it
     */
    public S get(Connection c) throws SQLException {
        S s = store;
        if (s == null) {
            s = factory.apply(config.withDetectedDialect(c));
            store = s;
        }
        return s;
    }

    /** As {@link #get(Connection)}, taking a connection from {@code dataSource} only when detection is needed. */
    public S get(DataSource dataSource) throws SQLException {
        S s = store;
        if (s != null) {
            return s;
        }
        try (Connection c = dataSource.getConnection()) {
            return get(c);
        }
    }
}
