package org.projectbeacon.benchmarks;

import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.postgresql.ds.PGSimpleDataSource;
import org.projectbeacon.outbox.Acquisition;
import org.projectbeacon.outbox.LedgerConfig;
import org.projectbeacon.outbox.spi.OutboxDialect;
import org.projectbeacon.outbox.ProcessingLedger;

/**
 * The processing ledger's consumer path (issue #15, goal 5), on embedded H2 by default and on
 * PostgreSQL with {@code -p database=postgresql} ({@code BEACON_PG_URL}):
 *
 * <ul>
 *   <li>{@code runOnceNewMessage}: {@link ProcessingLedger#runOnce} of a new message id with empty
 *       work: the acquire (insert-if-absent with a lease) and the completion in one transaction,
 *       what each first delivery costs;
 *   <li>{@code acquireDoneMessage}: {@link ProcessingLedger#acquire} of an id already done, what a
 *       redelivery costs (answered {@code ALREADY_DONE}).
 * </ul>
 *
 * The ledger table is the benchmark's own ({@code bench_ledger_}), dropped at the end; each
 * iteration starts from an empty table so its growth does not drift the figures.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar LedgerBenchmark -prof gc
 * java -jar benchmarks/target/benchmarks.jar LedgerBenchmark -p database=postgresql
 * </pre>
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LedgerBenchmark extends JmhDefaults {

    private static final String PREFIX = "bench_ledger_";

    @Param({"h2"})
    public String database;

    private DataSource dataSource;
    private ProcessingLedger ledger;
    private String doneId;

    @Setup
    public void setUp() throws Exception {
        OutboxDialect dialect;
        if (database.equals("postgresql")) {
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setURL(OutboxDrainBenchmark.env("BEACON_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"));
            dataSource = pg;
            dialect = OutboxDialect.postgresql();
        } else if (database.equals("h2")) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:bench_ledger;DB_CLOSE_DELAY=-1");
            dataSource = h2;
            dialect = OutboxDialect.h2();
        } else {
            throw new IllegalArgumentException("database must be h2 or postgresql but was " + database);
        }
        ledger = ProcessingLedger.create(dataSource, LedgerConfig.builder().dialect(dialect).tablePrefix(PREFIX).build());
        drop();
        ledger.migrate(dataSource);
    }

    @Setup(Level.Iteration)
    public void emptyTable() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM " + ledger.config().ledgerTable());
        }
        doneId = UUID.randomUUID().toString();
        ledger.runOnce(doneId, (connection, lease) -> { });
    }

    @TearDown
    public void tearDown() throws Exception {
        drop();
    }

    private void drop() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + ledger.config().ledgerTable());
        }
    }

    /** A first delivery: acquire and complete a new message in one transaction. */
    @Benchmark
    public Acquisition.Outcome runOnceNewMessage() throws Exception {
        return ledger.runOnce(UUID.randomUUID().toString(), (connection, lease) -> { });
    }

    /** A redelivery of a message already done. */
    @Benchmark
    public Acquisition acquireDoneMessage() throws Exception {
        return ledger.acquire(doneId);
    }
}
