package org.projectbeacon.outbox.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * PostgreSQL LISTEN loop, in a class of its own so that the PostgreSQL driver (an optional
 * dependency) is only loaded when this dialect is used.
 */
final class PgNotificationListener {
    private PgNotificationListener() {}

    /**
     * Listens on {@code channel} until {@code running} turns false or the connection fails, calling
     * {@code onNotify} for every batch of notifications (and once right after LISTEN, for rows
     * committed before it took effect). {@code onConnection} receives the connection so that a stop
     * can close it to end a wait early.
     */
    static void listen(DataSource dataSource, String channel, Duration wait, BooleanSupplier running, Runnable onNotify,
            Consumer<Connection> onConnection) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            onConnection.accept(c);
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.execute("LISTEN " + channel);
            }
            PGConnection pg = c.unwrap(PGConnection.class);
            onNotify.run();
            int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, wait.toMillis()));
            while (running.getAsBoolean()) {
                PGNotification[] notes = pg.getNotifications(millis);
                if (notes != null && notes.length > 0) {
                    onNotify.run();
                }
            }
        }
    }
}
