package org.projectbeacon.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class GuardSettingsTest {

    @Test
    void readsDefaultsPerGuardSettingsAndRegionsFromProperties() throws Exception {
        Properties properties = new Properties();
        properties.load(new StringReader("""
                beacon.guard-defaults.timeout=3s
                beacon.guard-defaults.retry-max-attempts=2
                beacon.guards.golem.failure-rate-threshold=25
                beacon.guards.golem.sliding-window-type=time-based
                beacon.guards.golem.wait-duration-in-open-state=PT1M
                beacon.guards.golem-lhr.failure-rate-threshold=75
                beacon.guards.ipfs.timeout=none
                beacon.guards.ipfs.bulkhead-max-concurrent-calls=8
                beacon.regions.golem=lhr, fra ,ams
                beacon.outbox.batch-size=500
                unrelated.key=x
                """));
        GuardSettings settings = GuardSettings.fromProperties(properties);

        GuardConfig golem = settings.configFor("golem");
        assertThat(golem.failureRateThreshold()).isEqualTo(25f);
        assertThat(golem.slidingWindowType()).isEqualTo(SlidingWindowType.TIME_BASED);
        assertThat(golem.waitDurationInOpenState()).isEqualTo(Duration.ofMinutes(1));
        assertThat(golem.timeout()).contains(Duration.ofSeconds(3));
        assertThat(golem.retryMaxAttempts()).isEqualTo(2);

        GuardConfig lhr = settings.configFor("golem-lhr", "golem");
        assertThat(lhr.failureRateThreshold()).as("its own setting wins").isEqualTo(75f);
        assertThat(lhr.waitDurationInOpenState()).as("inherited from the dependency").isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.configFor("golem-fra", "golem").failureRateThreshold()).isEqualTo(25f);

        GuardConfig ipfs = settings.configFor("ipfs");
        assertThat(ipfs.timeout()).isEmpty();
        assertThat(ipfs.bulkheadMaxConcurrentCalls()).contains(8);
        assertThat(settings.configFor("unconfigured").failureRateThreshold())
                .isEqualTo(GuardConfig.DEFAULT_FAILURE_RATE_THRESHOLD);

        assertThat(settings.regions("golem")).contains(List.of("lhr", "fra", "ams"));
        assertThat(settings.configuredGuards()).containsExactly("golem", "golem-lhr", "ipfs");
    }

    @Test
    void anUnknownSettingIsAnErrorNamingTheKey() {
        assertThatThrownBy(() -> GuardSettings.fromMap(Map.of("beacon.guards.golem.failure-rate", "50")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown key beacon.guards.golem.failure-rate: 'failure-rate' is not a guard setting");
        assertThatThrownBy(() -> GuardSettings.fromMap(Map.of("beacon.guards.golem", "on")))
                .hasMessageStartingWith("unknown key beacon.guards.golem: expected beacon.guards.<name>.<setting>");
        assertThatThrownBy(() -> GuardSettings.fromMap(Map.of("beacon.guard-defaults.colour", "red")))
                .hasMessageStartingWith("unknown key beacon.guard-defaults.colour");
    }

    @Test
    void aBadValueIsAnErrorNamingTheKeyAndTheValue() {
        assertThatThrownBy(() -> GuardSettings.fromMap(Map.of("beacon.guards.golem.failure-rate-threshold", "150")))
                .hasMessage("beacon.guards.golem.failure-rate-threshold=150: failureRateThreshold must be in (0, 100] but was 150.0");
        assertThatThrownBy(() -> GuardSettings.fromMap(Map.of("beacon.guards.golem.failure-rate-threshold", "-5")))
                .hasMessage("beacon.guards.golem.failure-rate-threshold=-5: failureRateThreshold must be in (0, 100] but was -5.0");
        assertThatThrownBy(() -> GuardSettings.fromMap(Map.of("beacon.guards.golem.sliding-window-size", "ten")))
                .hasMessage("beacon.guards.golem.sliding-window-size=ten: expected an integer but was 'ten'");
        assertThatThrownBy(() -> GuardSettings.fromMap(Map.of("beacon.guard-defaults.timeout", "soon")))
                .hasMessage("beacon.guard-defaults.timeout=soon: expected a duration such as 500ms, 5s, 2m or PT5S but was 'soon'");
        assertThatThrownBy(() -> GuardSettings.fromMap(Map.of("beacon.guards.golem.automatic-transition-to-half-open", "yes")))
                .hasMessage("beacon.guards.golem.automatic-transition-to-half-open=yes: expected true or false but was 'yes'");
    }

    @Test
    void settingsThatContradictEachOtherNameTheGuard() {
        assertThatThrownBy(() -> GuardSettings.fromMap(Map.of(
                        "beacon.guards.golem.sliding-window-size", "5",
                        "beacon.guards.golem.minimum-number-of-calls", "10")))
                .hasMessage("beacon.guards.golem.*: minimumNumberOfCalls (10) must not exceed slidingWindowSize (5) for a COUNT_BASED window");
    }

    @Test
    void regionListsMustBeNonEmptyWithoutDuplicates() {
        assertThatThrownBy(() -> GuardSettings.fromMap(Map.of("beacon.regions.golem", "")))
                .hasMessage("beacon.regions.golem=: regions must not be empty but was []");
        assertThatThrownBy(() -> GuardSettings.fromMap(Map.of("beacon.regions.golem", "lhr,fra,lhr")))
                .hasMessage("beacon.regions.golem=lhr,fra,lhr: regions must not repeat a region but 'lhr' appears twice in [lhr, fra, lhr]");
        assertThatThrownBy(() -> GuardSettings.fromMap(Map.of("beacon.regions.golem", "lhr,,fra")))
                .hasMessageContaining("region must match");
        assertThatThrownBy(() -> GuardSettings.fromMap(Map.of("beacon.guards.bad name.timeout", "1s")))
                .hasMessageContaining("name 'bad name' must match");
    }

    @Test
    void durationsAcceptShortAndIsoForms() {
        assertThat(GuardSettings.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(GuardSettings.parseDuration("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(GuardSettings.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(GuardSettings.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(GuardSettings.parseDuration("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    }
}
