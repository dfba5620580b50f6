/**
 * Jdbi adapters: {@link org.projectbeacon.outbox.jdbi.JdbiOutbox} enqueues and
 * {@link org.projectbeacon.outbox.jdbi.JdbiProcessingLedger} completes on a Jdbi
 * {@link org.jdbi.v3.core.Handle}'s connection and transaction.
 *
 * <p>{@code jdbi3-core} is an optional dependency of the outbox: only this package uses it, so
 * applications on plain JDBC, Spring or another data layer neither need Jdbi to compile against
 * {@link org.projectbeacon.outbox.Outbox} nor load it at run time. Applications using these classes
 * declare {@code org.jdbi:jdbi3-core} themselves.
 */
package org.projectbeacon.outbox.jdbi;
