package org.projectbeacon.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.projectbeacon.outbox.spi.OutboxDialect;

/** The publisher with the in-process sink on each dialect; the H2 subclass is the embedded default, no servers. */
abstract class AbstractInProcessPublisherContract {

    abstract OutboxDialect dialect();


    @Test
    void twoWorkersPublishEverythingOnceInKeyOrder() throws Exception {
        String prefix = TestServices.prefix("inproc_" + dialect().name());
        DataSource ds = TestServices.dataSource(dialect(), prefix);
        OutboxConfig config = OutboxConfig.builder().dialect(dialect()).tablePrefix(prefix).build();
        Outbox outbox = Outbox.create(config);
        outbox.migrate(ds);
        InProcessSink sink = new InProcessSink();
        List<String> seen = new CopyOnWriteArrayList<>();
        sink.subscribe("jobs", r -> seen.add(r.key() + ":" + new String(r.payload(), java.nio.charset.StandardCharsets.UTF_8)));
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            for (int i = 0; i < 300; i++) {
                outbox.enqueue(c, OutboxMessage.builder("jobs").key("k" + (i % 3)).payload(Integer.toString(i)).build());
            }
            c.commit();
        }
        try (OutboxPublisher publisher = OutboxPublisher.builder(ds, config, sink)
                .config(PublisherConfig.builder().workers(2).batchSize(8).pollInterval(Duration.ofMillis(100)).build())
                .build()) {
            publisher.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> sink.entries("jobs").size() == 300);
            await().atMost(Duration.ofSeconds(20)).until(() -> publisher.status().backlog() == 0);
        }
        for (int k = 0; k < 3; k++) {
            String key = "k" + k;
            List<Integer> order = seen.stream().filter(s -> s.startsWith(key + ":"))
                    .map(s -> Integer.parseInt(s.substring(key.length() + 1))).toList();
            assertThat(order).isSorted();
        }
        assertThat(sink.entries("jobs").stream().map(OutboxRecord::id).distinct().count()).isEqualTo(300);
        assertThat(sink.send(List.of(sink.entries("jobs").get(0))).get(0).duplicate()).isTrue();
        TestServices.dropTables(ds, config);
    }
}
