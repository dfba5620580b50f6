package org.projectbeacon.example.boot;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import org.projectbeacon.outbox.AckMode;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.OutboxMetrics;
import org.projectbeacon.outbox.OutboxReconciler;
import org.projectbeacon.outbox.ProcessingLedger;
import org.projectbeacon.outbox.ReconcilerConfig;
import org.projectbeacon.outbox.spi.OutboxSink;
import org.projectbeacon.resilience.DaemonThreads;
import org.projectbeacon.spring.boot.autoconfigure.BeaconProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The plain runner's delivery guarantees on Redis Streams ({@code beacon.sink.redis-uri} set): a
 * published outbox row stays until its job's message is done ({@link AckMode#KEEP_UNTIL_DONE}), and
 * an {@link OutboxReconciler} deletes the rows of done messages and republishes those whose stream
 * entry was lost (Redis restarted without persistence, a trimmed stream), so an accepted job is never
 * lost with Redis. The in-process stream of the embedded default keeps the starter's
 * {@link AckMode#DELETE}, as the plain runner does.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "beacon.sink.redis-uri")
public class RedisDelivery implements DisposableBean {

    /** How often published rows are checked against the stream and the ledger, as in the plain runner. */
    public static final Duration RECONCILE_INTERVAL = Duration.ofSeconds(5);
    /** Rows published more recently than this are not reconciled yet: their entries are in flight. */
    public static final Duration RECONCILE_GRACE = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(RedisDelivery.class);

    /*
     * The thread of the reconciler's passes. Not a bean: a second ScheduledExecutorService bean would
     * make the starter's injection of its monitor scheduler ambiguous. Its thread starts with the
     * first pass, not here.
     */
    private final ScheduledExecutorService reconcilerScheduler =
            Executors.newSingleThreadScheduledExecutor(new DaemonThreads("runner-reconciler"));

    /** Created by Spring. */
    public RedisDelivery() {}

    /** Ends the reconciler's thread; Spring destroys the reconciler, which depends on this, first. */
    @Override
    public void destroy() {
        reconcilerScheduler.shutdownNow();
    }

    /**
     * Makes {@link AckMode#KEEP_UNTIL_DONE} the publisher's acknowledgement mode unless
     * {@code beacon.publisher.ack-mode} is set. A post-processor of the bound properties rather than a
     * line in {@code application.properties}, because the mode must follow the sink: with the
     * in-process stream (which forgets delivered entries) the reconciler would resend every slow job.
     *
     * @param environment where an explicit setting is looked up
     * @return the post-processor; static, so it exists before the properties bean
     */
    @Bean
    static BeanPostProcessor keepRowsUntilDone(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof BeaconProperties properties && !environment.containsProperty("beacon.publisher.ack-mode")) {
                    properties.getPublisher().setAckMode(AckMode.KEEP_UNTIL_DONE);
                    LOG.debug("outbox rows are kept until their job is done ({})", AckMode.KEEP_UNTIL_DONE);
                }
                return bean;
            }
        };
    }

    /**
     * The reconciler of the kept rows against the stream and the processing ledger. Started with its
     * bean and closed when the context is destroyed, so it outlives the consumer and publisher, which
     * stop in the lifecycle phases before.
     *
     * @param dataSource the database of the outbox
     * @param config the outbox configuration
     * @param sink the stream (behind the drills' {@code sink} fault, whose checks it forwards)
     * @param ledger the ledger that says which messages are done
     * @param metrics where republished rows are counted ({@code outbox_reconciled_total})
     * @param clock the clock of publication ages
     * @return the reconciler
     */
    @Bean(initMethod = "start", destroyMethod = "close")
    OutboxReconciler outboxReconciler(DataSource dataSource, OutboxConfig config, OutboxSink sink, ProcessingLedger ledger,
            OutboxMetrics metrics, Clock clock) {
        return OutboxReconciler.builder(dataSource, config, sink, ledger::done)
                .config(ReconcilerConfig.builder().interval(RECONCILE_INTERVAL).grace(RECONCILE_GRACE).build())
                .clock(clock)
                .metrics(metrics)
                .scheduler(reconcilerScheduler)
                .build();
    }
}
