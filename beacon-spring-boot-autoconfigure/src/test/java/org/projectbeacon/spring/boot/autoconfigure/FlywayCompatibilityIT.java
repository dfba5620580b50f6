package org.projectbeacon.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.projectbeacon.outbox.Outbox;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.OutboxMessage;
import org.projectbeacon.outbox.spi.OutboxDialect;
import org.projectbeacon.resilience.TestServices;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The outbox's Flyway migrations (own location, own history table, see
 * {@link BeaconOutboxAutoConfiguration}) beside an application's own {@code V1__app.sql} in Flyway's
 * default location and history table, on real PostgreSQL and MariaDB, each in a schema (database) of
 * its own. The module's failsafe executions run this class with the Flyway Spring Boot manages and
 * again with the latest Flyway 12 and 13 ({@code beacon.flyway.expected} names the version the
 * execution put on the classpath, which the test checks it is really running).
 */
class FlywayCompatibilityIT {

    /** The databases, with how each isolates a test: a schema (PostgreSQL) or a database (MariaDB). */
    enum Database {
        POSTGRESQL(OutboxDialect.postgresql(), TestServices::postgresUrl, "CREATE SCHEMA %s", "DROP SCHEMA IF EXISTS %s CASCADE",
                (url, schema) -> url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema),
        // jdbc:mariadb://host:port/test?user=root -> the same server, database <schema>
        MARIADB(OutboxDialect.mariadb(), TestServices::mariadbUrl, "CREATE DATABASE %s", "DROP DATABASE IF EXISTS %s",
                (url, schema) -> url.replaceFirst("(jdbc:mariadb://[^/?]+)/[^?]*", "$1/" + schema));

        final OutboxDialect dialect;
        private final Supplier<String> url;
        private final String create;
        private final String drop;
        private final BinaryOperator<String> isolatedUrl;

        Database(OutboxDialect dialect, Supplier<String> url, String create, String drop, BinaryOperator<String> isolatedUrl) {
            this.dialect = dialect;
            this.url = url;
            this.create = create;
            this.drop = drop;
            this.isolatedUrl = isolatedUrl;
        }

        String url() {
            return url.get();
        }

        String isolatedUrl(String schema) {
            return isolatedUrl.apply(url(), schema);
        }

        String create(String schema) {
            return create.formatted(schema);
        }

        String drop(String schema) {
            return drop.formatted(schema);
        }
    }

    private Database database;
    private String schema;

    @AfterEach
    void dropSchema() throws SQLException {
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(database.url()); Statement st = c.createStatement()) {
                st.execute(database.drop(schema));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void theOutboxMigrationsRunBesideTheApplicationsOwnV1WithoutClashing(Database db) throws SQLException {
        String expected = System.getProperty("beacon.flyway.expected", "");
        if (!expected.isEmpty()) {
            String jar = Flyway.class.getProtectionDomain().getCodeSource().getLocation().getPath();
            assertThat(jar).as("the Flyway this execution runs").endsWith("/flyway-core-" + expected + ".jar");
        }
        DataSource ds = isolate(db);
        String prefix = TestServices.prefix("fw");
        OutboxConfig config = OutboxConfig.builder().dialect(db.dialect).tablePrefix(prefix).build();
        JdbcTemplate jdbc = new JdbcTemplate(ds);

        // Boot runs the application's Flyway before Beacon's outbox bean, so the outbox finds a
        // non-empty schema and baselines its own history at 0; then a restart: nothing more runs.
        for (int start = 0; start < 2; start++) {
            Flyway app = Flyway.configure().dataSource(ds).load();
            app.migrate();
            BeaconOutboxAutoConfiguration.FlywayMigration.migrate(ds, config);
            app.validate();
        }

        assertThat(jdbc.queryForList("SELECT version FROM flyway_schema_history WHERE success = true"
                + " ORDER BY installed_rank", String.class)).containsExactly("1");
        assertThat(jdbc.queryForList("SELECT script FROM flyway_schema_history WHERE version = '1'", String.class))
                .containsExactly("V1__app.sql");
        String beaconHistory = prefix + BeaconOutboxAutoConfiguration.FLYWAY_HISTORY_TABLE;
        assertThat(jdbc.queryForList("SELECT version FROM " + beaconHistory + " WHERE success = true"
                + " ORDER BY installed_rank", String.class)).containsExactly("0", "1", "2");
        assertThat(jdbc.queryForList("SELECT script FROM " + beaconHistory + " WHERE version IN ('1', '2')"
                + " ORDER BY installed_rank", String.class)).containsExactly("V1__outbox.sql", "V2__retention.sql");

        // Both sides' tables are there and usable.
        jdbc.update("INSERT INTO app_orders (id, status) VALUES ('o-1', 'NEW')");
        try (Connection c = ds.getConnection()) {
            assertThat(Outbox.create(config).enqueue(c, OutboxMessage.builder("jobs").key("o-1").payload("{}").build()))
                    .isTrue();
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + config.outboxTable(), Integer.class)).isOne();
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void inABootApplicationItsOwnFlywayAndTheOutboxMigrateAFreshSchema(Database db) throws SQLException {
        isolate(db);
        String prefix = TestServices.prefix("fwboot");
        // Boot's own Flyway with its defaults (classpath:db/migration, flyway_schema_history, no
        // baseline-on-migrate): it would refuse a schema the outbox had already filled, so this also
        // proves that Boot migrates the application first.
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(FlywayApplication.class)
                .web(WebApplicationType.NONE)
                .properties("spring.datasource.url=" + db.isolatedUrl(schema), "beacon.outbox.table-prefix=" + prefix)
                .run()) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForList("SELECT script FROM flyway_schema_history WHERE success = true", String.class))
                    .containsExactly("V1__app.sql");
            assertThat(jdbc.queryForList("SELECT script FROM " + prefix + BeaconOutboxAutoConfiguration.FLYWAY_HISTORY_TABLE
                    + " WHERE success = true AND version IN ('1', '2') ORDER BY installed_rank", String.class))
                    .containsExactly("V1__outbox.sql", "V2__retention.sql");
            assertThat(context.getBean(TransactionalOutbox.class)).isNotNull();
        }
    }

    /** An application with nothing but auto-configuration: Boot's Flyway and the starter's outbox. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class FlywayApplication {}

    private DataSource isolate(Database db) throws SQLException {
        this.database = db;
        String name = TestServices.prefix("boot_fw_" + db.name().toLowerCase(Locale.ROOT));
        name = name.substring(0, name.length() - 1);
        try (Connection c = DriverManager.getConnection(db.url()); Statement st = c.createStatement()) {
            st.execute(db.create(name));
        } catch (SQLException e) {
            TestServices.unavailable(db.name(), e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        this.schema = name;
        return new DriverManagerDataSource(db.isolatedUrl(name));
    }
}
