-- The application's own V1 in Flyway's default location and history table (flyway_schema_history),
-- beside the outbox's V1 in its own: FlywayCompatibilityIT proves they never clash.
CREATE TABLE app_orders (id VARCHAR(36) PRIMARY KEY, status VARCHAR(16) NOT NULL);
