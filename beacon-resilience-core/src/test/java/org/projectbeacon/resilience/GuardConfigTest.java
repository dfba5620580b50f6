package org.projectbeacon.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GuardConfigTest {

    @Test
    void defaultsAreTheNamedConstants() {
        GuardConfig config = GuardConfig.ofDefaults();
        assertThat(config.failureRateThreshold()).isEqualTo(GuardConfig.DEFAULT_FAILURE_RATE_THRESHOLD);
        assertThat(config.slidingWindowSize()).isEqualTo(GuardConfig.DEFAULT_SLIDING_WINDOW_SIZE);
        assertThat(config.retryMaxAttempts()).isEqualTo(GuardConfig.DEFAULT_RETRY_MAX_ATTEMPTS);
        assertThat(config.timeout()).contains(GuardConfig.DEFAULT_TIMEOUT);
        assertThat(config.bulkheadMaxConcurrentCalls()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(floats = {-1f, 0f, 100.5f, 150f, Float.NaN})
    void failureRateThresholdOutsideZeroToHundredIsRejectedNamingTheValue(float value) {
        assertThatThrownBy(() -> GuardConfig.builder().failureRateThreshold(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("failureRateThreshold must be in (0, 100] but was " + value);
    }

    @Test
    void slowCallRateThresholdIsCheckedLikeTheFailureRate() {
        assertThatThrownBy(() -> GuardConfig.builder().slowCallRateThreshold(101))
                .hasMessage("slowCallRateThreshold must be in (0, 100] but was 101.0");
    }

    @Test
    void countsAndDurationsAreChecked() {
        assertThatThrownBy(() -> GuardConfig.builder().slidingWindowSize(0))
                .hasMessage("slidingWindowSize must be at least 1 but was 0");
        assertThatThrownBy(() -> GuardConfig.builder().permittedCallsInHalfOpenState(-3))
                .hasMessage("permittedCallsInHalfOpenState must be at least 1 but was -3");
        assertThatThrownBy(() -> GuardConfig.builder().waitDurationInOpenState(Duration.ofSeconds(-1)))
                .hasMessage("waitDurationInOpenState must be a positive duration but was PT-1S");
        assertThatThrownBy(() -> GuardConfig.builder().timeout(null))
                .hasMessage("timeout must be a positive duration but was null");
        assertThatThrownBy(() -> GuardConfig.builder().retryMaxAttempts(0))
                .hasMessage("retryMaxAttempts must be in [1, 100] but was 0");
        assertThatThrownBy(() -> GuardConfig.builder().retryRandomizationFactor(1.0))
                .hasMessage("retryRandomizationFactor must be in [0, 1) but was 1.0");
        assertThatThrownBy(() -> GuardConfig.builder().retryMultiplier(0.5))
                .hasMessage("retryMultiplier must be a finite number >= 1 but was 0.5");
        assertThatThrownBy(() -> GuardConfig.builder().bulkheadMaxWait(Duration.ofMillis(-5)))
                .hasMessage("bulkheadMaxWait must be zero or a positive duration but was PT-0.005S");
    }

    @Test
    void contradictorySettingsAreRejectedAtBuildNamingBoth() {
        assertThatThrownBy(() -> GuardConfig.builder().slidingWindowSize(5).minimumNumberOfCalls(10).build())
                .hasMessage("minimumNumberOfCalls (10) must not exceed slidingWindowSize (5) for a COUNT_BASED window");
        assertThatThrownBy(() -> GuardConfig.builder()
                        .retryInitialInterval(Duration.ofSeconds(5))
                        .retryMaxInterval(Duration.ofSeconds(1))
                        .build())
                .hasMessageContaining("retryMaxInterval (PT1S) must not be shorter than retryInitialInterval (PT5S)");
    }

    @Test
    void toBuilderKeepsEverySettingAndChangesOnlyWhatIsSet() {
        GuardConfig original = GuardConfig.builder()
                .failureRateThreshold(20)
                .bulkheadMaxConcurrentCalls(4)
                .withoutTimeout()
                .build();
        GuardConfig changed = original.toBuilder().slidingWindowSize(50).build();
        assertThat(changed.failureRateThreshold()).isEqualTo(20f);
        assertThat(changed.bulkheadMaxConcurrentCalls()).contains(4);
        assertThat(changed.timeout()).isEmpty();
        assertThat(changed.slidingWindowSize()).isEqualTo(50);
        assertThat(original.slidingWindowSize()).isEqualTo(GuardConfig.DEFAULT_SLIDING_WINDOW_SIZE);
    }
}
