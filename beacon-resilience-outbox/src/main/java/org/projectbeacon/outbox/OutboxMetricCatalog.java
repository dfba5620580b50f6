package org.projectbeacon.outbox;

import static org.projectbeacon.resilience.spi.MeterDescriptor.counter;
import static org.projectbeacon.resilience.spi.MeterDescriptor.gauge;
import static org.projectbeacon.resilience.spi.MeterDescriptor.gaugeWithUnit;
import static org.projectbeacon.resilience.spi.MeterDescriptor.timer;

import java.util.List;
import org.projectbeacon.resilience.spi.MeterDescriptor;
import org.projectbeacon.resilience.spi.MetricCatalog;

/**
 * Every meter beacon-resilience-outbox registers, through {@link OutboxMetrics} and
 * {@link OutboxMonitor}. The one place the names are written; registered for
 * {@link java.util.ServiceLoader}. Stateless.
 */
public final class OutboxMetricCatalog implements MetricCatalog {

    /** Unpublished rows, from the last refresh. Prometheus: {@code outbox_unpublished_count}. */
    public static final String UNPUBLISHED_COUNT = "outbox.unpublished.count";
    /** Age of the oldest unpublished row in seconds, 0 when none. Prometheus: {@code outbox_oldest_unpublished_age_seconds}. */
    public static final String OLDEST_UNPUBLISHED_AGE = "outbox.oldest.unpublished.age";
    /** Rows in the dead letter table, from the last refresh. Prometheus: {@code outbox_dead_letter_count}. */
    public static final String DEAD_LETTER_COUNT = "outbox.dead.letter.count";
    /** Messages acknowledged as published. Prometheus: {@code outbox_published_total}. */
    public static final String PUBLISHED = "outbox.published";
    /** Failed send attempts of single messages. Prometheus: {@code outbox_failed_total}. */
    public static final String FAILED = "outbox.failed";
    /** Messages moved to the dead letter table. Prometheus: {@code outbox_dead_lettered_total}. */
    public static final String DEAD_LETTERED = "outbox.dead.lettered";
    /** Rows claimed again after their lease expired. Prometheus: {@code outbox_reclaimed_total}. */
    public static final String RECLAIMED = "outbox.reclaimed";
    /** Time from enqueue to acknowledged publication. Prometheus: {@code outbox_publish_latency_seconds_*}. */
    public static final String PUBLISH_LATENCY = "outbox.publish.latency";
    /** Rows republished because their stream entry was gone before the message was done. Prometheus: {@code outbox_reconciled_total}. */
    public static final String RECONCILED = "outbox.reconciled";
    /** Stream entries not yet delivered to the consumer group. Prometheus: {@code outbox_consumer_lag}. */
    public static final String CONSUMER_LAG = "outbox.consumer.lag";
    /** Entries delivered to the consumer group and not acknowledged. Prometheus: {@code outbox_consumer_pending}. */
    public static final String CONSUMER_PENDING = "outbox.consumer.pending";
    /** Seconds since the consumer's last successful read, 0 before start. Prometheus: {@code outbox_consumer_last_read_age_seconds}. */
    public static final String CONSUMER_LAST_READ_AGE = "outbox.consumer.last.read.age";
    /** Failed reads or claims of the consumer (NOGROUP, connection lost, ...). Prometheus: {@code outbox_consumer_read_errors_total}. */
    public static final String CONSUMER_READ_ERRORS = "outbox.consumer.read.errors";
    /** Processing-ledger leases taken over after they expired (a handler that died mid-message). Prometheus: {@code outbox_ledger_takeovers_total}. */
    public static final String LEDGER_TAKEOVERS = "outbox.ledger.takeovers";
    /** Processing-ledger entries in progress whose lease has expired, at the last refresh. Prometheus: {@code outbox_ledger_expired_leases}. */
    public static final String LEDGER_EXPIRED_LEASES = "outbox.ledger.expired.leases";
    /** Tag of the consumer meters: the stream key. */
    public static final String TAG_STREAM = "stream";
    /** Tag of the consumer meters: the consumer group. */
    public static final String TAG_GROUP = "group";
    /** Base unit of {@link #OLDEST_UNPUBLISHED_AGE}. */
    public static final String SECONDS = "seconds";

    private static final List<MeterDescriptor> METERS = List.of(
            gauge(UNPUBLISHED_COUNT, "Unpublished outbox rows at the last refresh"),
            gaugeWithUnit(OLDEST_UNPUBLISHED_AGE, SECONDS, "Age of the oldest unpublished outbox row"),
            gauge(DEAD_LETTER_COUNT, "Rows in the outbox dead letter table at the last refresh"),
            counter(PUBLISHED, "Outbox messages published"),
            counter(FAILED, "Failed outbox send attempts"),
            counter(DEAD_LETTERED, "Outbox messages moved to the dead letter table"),
            counter(RECLAIMED, "Outbox rows reclaimed after an expired lease"),
            timer(PUBLISH_LATENCY, false, "Time from enqueue to publication"),
            counter(RECONCILED, "Outbox rows republished because their stream entry was lost before the message was done"),
            gauge(CONSUMER_LAG, "Stream entries not yet delivered to the consumer group", TAG_STREAM, TAG_GROUP),
            gauge(CONSUMER_PENDING, "Stream entries delivered to the consumer group and not acknowledged", TAG_STREAM, TAG_GROUP),
            gaugeWithUnit(CONSUMER_LAST_READ_AGE, SECONDS, "Time since the stream consumer's last successful read", TAG_STREAM, TAG_GROUP),
            counter(CONSUMER_READ_ERRORS, "Failed reads or claims of the stream consumer", TAG_STREAM, TAG_GROUP),
            counter(LEDGER_TAKEOVERS, "Processing-ledger leases taken over after they expired"),
            gauge(LEDGER_EXPIRED_LEASES, "Processing-ledger entries in progress whose lease has expired"));

    /**
     * The catalog's description of {@code meter}, which every binder of this module registers, so that a
     * meter's help text is written once.
     *
     * @throws IllegalArgumentException when the catalog has no such meter
     */
    public static String description(String meter) {
        for (MeterDescriptor d : METERS) {
            if (d.name().equals(meter)) {
                return d.description();
            }
        }
        throw new IllegalArgumentException("meter must be one of the outbox catalog's but was " + meter);
    }

    /** Creates the catalog; {@link java.util.ServiceLoader} calls this. */
    public OutboxMetricCatalog() {}

    @Override
    public String module() {
        return "beacon-resilience-outbox";
    }

    @Override
    public List<MeterDescriptor> meters() {
        return METERS;
    }
}
