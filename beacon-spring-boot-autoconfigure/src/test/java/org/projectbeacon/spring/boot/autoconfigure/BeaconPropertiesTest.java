package org.projectbeacon.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.projectbeacon.resilience.GuardRegistry;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Binding of beacon.* keys, without a database: the outbox stays off (no DataSource). */
class BeaconPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(BeaconAutoConfiguration.class));

    @Test
    void guardAndRegionSettingsBindToTheRegistry() {
        runner.withPropertyValues(
                        "beacon.guard-defaults.timeout=3s",
                        "beacon.guards.golem.failure-rate-threshold=25",
                        "beacon.guards.golem.wait-duration-in-open-state=10s",
                        "beacon.regions.golem=lhr,fra,ams",
                        "beacon.guards.ipfs.retry-max-attempts=2",
                        "beacon.admin.token=s3cret")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    GuardRegistry guards = context.getBean(GuardRegistry.class);
                    assertThat(guards.findRegionFallback("golem")).get()
                            .satisfies(f -> assertThat(f.regions()).containsExactly("lhr", "fra", "ams"));
                    assertThat(guards.guard("golem-lhr").config().failureRateThreshold()).isEqualTo(25f);
                    assertThat(guards.guard("golem-lhr").config().waitDurationInOpenState()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(guards.find("ipfs")).get()
                            .satisfies(g -> assertThat(g.config().retryMaxAttempts()).isEqualTo(2));
                    assertThat(guards.guard("ipfs").config().timeout()).contains(Duration.ofSeconds(3));
                    assertThat(context.getBean(BeaconProperties.class).getAdmin().toString()).doesNotContain("s3cret");
                });
    }

    @Test
    void publisherSettingsBind() {
        runner.withPropertyValues("beacon.publisher.full-claim-interval=250ms", "beacon.publisher.workers=3")
                .run(context -> {
                    BeaconProperties.Publisher publisher = context.getBean(BeaconProperties.class).getPublisher();
                    assertThat(publisher.getFullClaimInterval()).isEqualTo(Duration.ofMillis(250));
                    assertThat(publisher.getWorkers()).isEqualTo(3);
                });
        runner.run(context -> assertThat(context.getBean(BeaconProperties.class).getPublisher().getFullClaimInterval())
                .isEqualTo(org.projectbeacon.outbox.PublisherConfig.DEFAULT_FULL_CLAIM_INTERVAL));
    }

    @Test
    void aBadGuardValueFailsStartUpNamingItsKeyAndValue() {
        runner.withPropertyValues("beacon.guards.golem.failure-rate-threshold=lots")
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("beacon.guards.golem.failure-rate-threshold")
                        .hasStackTraceContaining("lots"));
    }

    @Test
    void anUnknownKeyFailsStartUpNamingIt() {
        runner.withPropertyValues("beacon.guards.golem.failure-rate-treshold=50")
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("failure-rate-treshold"));
    }

    @Test
    void aBadTypedValueFailsNamingKeyAndValue() {
        runner.withPropertyValues("beacon.publisher.workers=many")
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("beacon.publisher.workers")
                        .hasStackTraceContaining("many"));
    }
}
