/**
 * The outbox part of the runner's HTTP API and health: {@link org.projectbeacon.health.outbox.OutboxRoutes}
 * (dead letter queue and publisher admin routes) and {@link org.projectbeacon.health.outbox.OutboxBacklogCheck}.
 *
 * <p>Only this package uses {@code beacon-resilience-outbox}, an optional dependency of
 * {@code beacon-health}: applications without the outbox never load these classes and need not have it
 * on the class path.
 */
package org.projectbeacon.health.outbox;
