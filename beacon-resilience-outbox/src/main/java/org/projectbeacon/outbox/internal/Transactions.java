package org.projectbeacon.outbox.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** How the stores run their statements: as one transaction, or in auto-commit. Stateless. */
final class Transactions {

    private Transactions() {}

    /** Work on a connection that may fail with an {@link SQLException}. */
    interface SqlWork<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code work} as one transaction on {@code c}, after {@code firstStatement} when not null,
     * rolling back on failure and restoring the connection's auto-commit mode either way.
     */
    static <T> T inTransaction(Connection c, String firstStatement, SqlWork<T> work) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            if (firstStatement != null) {
                try (Statement st = c.createStatement()) {
                    st.execute(firstStatement);
                }
            }
            T result = work.run();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c, e);
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** Runs {@code work} in auto-commit; on a connection already in a transaction the work ends it, committed, like a statement would. */
    static <T> T inAutoCommit(Connection c, SqlWork<T> work) throws SQLException {
        return c.getAutoCommit() ? work.run() : inTransaction(c, null, work);
    }

    /** The rows a batch changed; drivers may report SUCCESS_NO_INFO (-2) for batched statements, counted as one. */
    static int sum(int[] counts) {
        int total = 0;
        for (int n : counts) {
            total += n == Statement.SUCCESS_NO_INFO ? 1 : Math.max(n, 0);
        }
        return total;
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
