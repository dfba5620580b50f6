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
            timer(PUBLISH_LATENCY, false, "Time from enqueue to publication"));

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
