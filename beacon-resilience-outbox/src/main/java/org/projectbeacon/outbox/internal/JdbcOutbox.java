package org.projectbeacon.outbox.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.projectbeacon.outbox.Outbox;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.OutboxMessage;

/** The JDBC outbox: one prepared insert per enqueue, in the caller's transaction. */
public final class JdbcOutbox implements Outbox {

    /** The migration scripts of every dialect's folder, in the order they run (Flyway's version order). */
    public static final List<String> MIGRATIONS = List.of("V1__outbox.sql", "V2__retention.sql");

    private final OutboxConfig config;
    private final String insertSql;

    /** An outbox over {@code config}'s tables. */
    public JdbcOutbox(OutboxConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.insertSql = config.dialect().insertIfAbsent(config.outboxTable());
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
        long now = config.clock().millis();
        try (PreparedStatement ps = connection.prepareStatement(insertSql)) {
            String id = message.id().toString();
            ps.setString(1, id);
            ps.setString(2, message.stream());
            ps.setString(3, message.key());
            ps.setBytes(4, message.payload());
            ps.setString(5, message.contentType());
            ps.setString(6, HeaderCodec.encode(message.headers()));
            ps.setLong(7, now);
            ps.setLong(8, now + message.delay().toMillis());
            ps.setInt(9, 0);
            ps.setString(10, null);
            if (config.dialect().insertRepeatsId()) {
                ps.setString(11, id);
            }
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public boolean enqueue(Handle handle, OutboxMessage message) {
        Objects.requireNonNull(handle, "handle");
        try {
            return enqueue(handle.getConnection(), message);
        } catch (SQLException e) {
            throw new ConnectionException(e);
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
        try (Statement st = connection.createStatement()) {
            for (String name : MIGRATIONS) {
                String script = SqlScript.load(config.dialect().migrationLocation() + "/" + name)
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
