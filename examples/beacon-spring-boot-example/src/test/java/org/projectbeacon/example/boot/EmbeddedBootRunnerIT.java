package org.projectbeacon.example.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.projectbeacon.outbox.AckMode;
import org.projectbeacon.outbox.OutboxReconciler;
import org.projectbeacon.spring.boot.autoconfigure.BeaconProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The embedded default: H2 and the in-process stream, no servers. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:embedded-boot-runner;DB_CLOSE_DELAY=-1")
class EmbeddedBootRunnerIT extends JobApiFlow {

    @Autowired
    BeaconProperties properties;
    @Autowired
    ObjectProvider<OutboxReconciler> reconciler;

    /** The in-process stream forgets delivered entries, so rows are deleted on publication, as in the plain runner. */
    @Test
    void publishedRowsAreDeletedAndNothingReconciles() {
        assertThat(properties.getPublisher().getAckMode()).isEqualTo(AckMode.DELETE);
        assertThat(reconciler.getIfAvailable()).isNull();
    }
}
