package org.projectbeacon.outbox.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.projectbeacon.outbox.Outbox;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.OutboxMessage;
import org.projectbeacon.outbox.OutboxRecord;
import org.projectbeacon.outbox.spi.OutboxDialect;

/**
 * The JDBC outbox: one prepared insert per enqueue, in the caller's transaction. A dialect left to
 * detect is detected from the first connection it is given.
 */
public final class JdbcOutbox implements Outbox {

    /** The migration scripts of every dialect's folder, in the order they run (Flyway's version order). */
    public static final List<String> MIGRATIONS = List.of("V1__outbox.sql", "V2__retention.sql");

    /** The enqueue's insert in the resolved dialect. */
    private record Insert(OutboxDialect dialect, String sql) {}

    private final OutboxConfig config;
    private final DialectBound<Insert> insert;

    /** An outbox over {@code config}'s tables; no I/O. */
    public JdbcOutbox(OutboxConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.insert = new DialectBound<>(config, o -> new Insert(o.dialect(), o.dialect().insertIfAbsent(o.outboxTable())));
    }

    @Override
    public OutboxConfig config() {
        return config;
    }

    @Override
    public boolean enqueue(Connection connection, OutboxMessage message) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        if (message == null) {
            throw new IllegalArgumentException("message must not be null but was null");
        }
        if (message.payloadSize() > config.maxPayloadBytes()) {
            throw new IllegalArgumentException("payload must be at most " + config.maxPayloadBytes()
                    + " bytes but was " + message.payloadSize() + " bytes");
        }
        Insert in = insert.get(connection);
        long now = config.clock().millis();
        OutboxRecord r = new OutboxRecord(message.id(), message.stream(), message.key(), message.payload(),
                message.contentType(), message.headers(), Instant.ofEpochMilli(now), 0);
        try (PreparedStatement ps = connection.prepareStatement(in.sql())) {
            OutboxRows.bindInsert(ps, in.dialect(), r, now, now + message.delay().toMillis(), 0, null);
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public void migrate(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            migrate(c);
        }
    }

    /**
     * Runs every script of {@link #MIGRATIONS} in order; each is idempotent ({@code IF NOT EXISTS}),
     * so migrating an up-to-date schema changes nothing.
     */
    @Override
    public void migrate(Connection connection) throws SQLException {
        OutboxDialect dialect = insert.get(connection).dialect();
        try (Statement st = connection.createStatement()) {
            for (String name : MIGRATIONS) {
                String script = SqlScript.load(dialect.migrationLocation() + "/" + name)
                        .replace("${prefix}", config.tablePrefix());
                for (String sql : SqlScript.statements(script)) {
                    st.execute(sql);
                }
            }
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }
}
