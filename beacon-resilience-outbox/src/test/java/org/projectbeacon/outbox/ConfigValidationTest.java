package org.projectbeacon.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.projectbeacon.outbox.internal.OutboxRows;
import org.projectbeacon.outbox.redis.RedisSinkConfig;

class ConfigValidationTest {

    @Test
    void outboxConfigNamesTheParameterAndValue() {
        assertThatThrownBy(() -> OutboxConfig.builder().tablePrefix("Bad-Prefix"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tablePrefix").hasMessageContaining("'Bad-Prefix'");
        assertThatThrownBy(() -> OutboxConfig.builder().maxPayloadBytes(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPayloadBytes").hasMessageContaining("0");
        OutboxConfig config = OutboxConfig.builder().tablePrefix("app_").build();
        assertThat(config.outboxTable()).isEqualTo("app_outbox");
        assertThat(config.deadLetterTable()).isEqualTo("app_outbox_dead_letter");
        assertThat(config.configuredDialect()).as("no dialect: detected from the database on first use").isEmpty();
        assertThatThrownBy(config::dialect).isInstanceOf(IllegalStateException.class).hasMessageContaining("dialect");
        assertThat(config.maxPayloadBytes()).isEqualTo(OutboxConfig.DEFAULT_MAX_PAYLOAD_BYTES);
    }

    @Test
    void publisherConfigNamesTheParameterAndValue() {
        assertThatThrownBy(() -> PublisherConfig.builder().batchSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize").hasMessageContaining("0");
        assertThatThrownBy(() -> PublisherConfig.builder().leaseDuration(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaseDuration");
        assertThatThrownBy(() -> PublisherConfig.builder().fullClaimInterval(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fullClaimInterval").hasMessageContaining("PT-0.001S");
        assertThatThrownBy(() -> PublisherConfig.builder().jitter(1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jitter").hasMessageContaining("1.0");
        assertThatThrownBy(() -> PublisherConfig.builder().backoffInitial(Duration.ofMinutes(10)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backoffMax");
        assertThatThrownBy(() -> RedisSinkConfig.builder().maxLen(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLen").hasMessageContaining("-1");
    }

    @Test
    void backoffGrowsExponentiallyUpToTheMaximum() {
        PublisherConfig c = PublisherConfig.builder().backoffInitial(Duration.ofSeconds(1)).backoffMultiplier(2)
                .backoffMax(Duration.ofSeconds(5)).build();
        assertThat(c.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.backoff(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(c.backoff(4)).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.backoff(100)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void errorMessagesAreNormalisedForGrouping() {
        assertThat(OutboxRows.normalise("job 7f1c2d3e-1111-2222-3333-444455556666 timed out after 3000 ms on 'node-a'"))
                .isEqualTo("job <uuid> timed out after <n> ms on <value>");
        assertThat(OutboxRows.normalise("address 0xDEADbeef  refused")).isEqualTo("address <hex> refused");
        assertThat(OutboxRows.normalise(null)).isEmpty();
    }
}
