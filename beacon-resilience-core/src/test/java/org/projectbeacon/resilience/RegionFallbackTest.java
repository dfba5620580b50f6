package org.projectbeacon.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegionFallbackTest {

    private final MutableClock clock = MutableClock.atEpochDay();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final GuardRegistry registry = GuardRegistry.builder()
            .clock(clock)
            .scheduler(new ManualScheduler(clock))
            .settings(GuardSettings.fromMap(Map.of(
                    "beacon.regions.golem", "lhr,fra,ams",
                    "beacon.guards.golem.retry-max-attempts", "1",
                    "beacon.guards.golem.timeout", "none",
                    "beacon.guards.golem.sliding-window-size", "4",
                    "beacon.guards.golem.minimum-number-of-calls", "2",
                    "beacon.guards.golem.automatic-transition-to-half-open", "false",
                    "beacon.guards.ipfs.retry-max-attempts", "1")))
            .build();
    private final RegionFallback golem = registry.regionFallback("golem");
    private final List<String> called = new CopyOnWriteArrayList<>();

    RegionFallbackTest() {
        registry.metrics().bindTo(meters);
    }

    @AfterEach
    void tearDown() {
        registry.close();
    }

    @Test
    void callsGoToTheFirstRegionWhenItAnswers() {
        assertThat(golem.call(this::answer)).isEqualTo("offer from lhr");
        assertThat(called).containsExactly("lhr");
        assertThat(golem.lastUsedRegion()).contains("lhr");
        assertThat(golem.activeRegion()).contains("lhr");
        assertThat(fallbacks("lhr", "fra")).isZero();
    }

    @Test
    void everyFallbackPairIsExportedAtZeroBeforeTheFirstCall() {
        // Alerts and rate() need the series from the start, not from the first fallback.
        for (String from : List.of("lhr", "fra", "ams")) {
            for (String to : List.of("lhr", "fra", "ams")) {
                var counter = meters.find("beacon.region.fallbacks")
                        .tags("dependency", "golem", "from", from, "to", to)
                        .counter();
                if (from.equals(to)) {
                    assertThat(counter).as(from + "->" + to).isNull();
                } else {
                    assertThat(counter).as(from + "->" + to).isNotNull();
                    assertThat(counter.count()).isZero();
                }
            }
        }
        assertThat(called).isEmpty();
    }

    @Test
    void aFailingRegionHandsTheCallToTheNextInOrderAndCountsTheFallback() {
        String result = golem.call(region -> {
            called.add(region);
            if (region.equals("lhr")) {
                throw new IOException("lhr providers gone");
            }
            return "offer from " + region;
        });
        assertThat(result).isEqualTo("offer from fra");
        assertThat(called).containsExactly("lhr", "fra");
        assertThat(golem.lastUsedRegion()).contains("fra");
        assertThat(fallbacks("lhr", "fra")).isEqualTo(1.0);
    }

    @Test
    void regionsWhoseBreakerIsOpenAreSkippedWithoutACall() {
        registry.admin().forceOpen("golem-lhr", Duration.ofMinutes(5), "on-call");
        assertThat(golem.activeRegion()).contains("fra");

        assertThat(golem.call(this::answer)).isEqualTo("offer from fra");
        assertThat(called).containsExactly("fra");
    }

    @Test
    void aRegionThatKeepsFailingOpensItsBreakerAndIsThenSkipped() {
        for (int i = 0; i < 2; i++) {
            golem.call(region -> {
                if (region.equals("lhr")) {
                    throw new IOException("down");
                }
                return region;
            });
        }
        assertThat(golem.guard("lhr").circuitBreaker().getState()).isEqualTo(State.OPEN);
        called.clear();
        golem.call(this::answer);
        assertThat(called).containsExactly("fra");
    }

    @Test
    void whenEveryRegionFailsTheExceptionListsEachRegionWithItsFailure() {
        registry.admin().forceOpen("golem-ams", Duration.ofMinutes(5), "on-call");
        assertThatThrownBy(() -> golem.call(region -> {
            called.add(region);
            throw new IOException("no offers in " + region);
        }))
                .isInstanceOfSatisfying(AllRegionsFailedException.class, e -> {
                    assertThat(e.failures()).extracting(RegionFailure::region).containsExactly("lhr", "fra", "ams");
                    assertThat(e.failures()).extracting(RegionFailure::skipped).containsExactly(false, false, true);
                    assertThat(e.getSuppressed()).hasSize(3);
                })
                .hasMessage("all regions failed for golem: lhr: IOException: no offers in lhr; "
                        + "fra: IOException: no offers in fra; ams: skipped (circuit breaker open)");
        assertThat(called).containsExactly("lhr", "fra");
    }

    @Test
    void aPreferredRegionIsTriedFirstThenTheRestInOrder() {
        String result = golem.call("ams", region -> {
            called.add(region);
            if (region.equals("ams")) {
                throw new IOException("ams down");
            }
            return region;
        });
        assertThat(result).isEqualTo("lhr");
        assertThat(called).containsExactly("ams", "lhr");
        assertThat(fallbacks("ams", "lhr")).isEqualTo(1.0);
        assertThatThrownBy(() -> golem.call("syd", this::answer))
                .hasMessage("region must be one of [lhr, fra, ams] but was 'syd'");
    }

    @Test
    void failuresOutsideFallbackOnEndTheCallAtOnce() {
        RegionFallback strict = registry.regionFallback(RegionFallbackConfig.builder("ipfs")
                .regions("eu", "us")
                .fallbackOn(t -> !(t instanceof IllegalArgumentException))
                .build());
        assertThatThrownBy(() -> strict.call(region -> {
            called.add(region);
            throw new IllegalArgumentException("bad bundle id");
        })).isInstanceOf(AllRegionsFailedException.class).hasMessageContaining("eu: IllegalArgumentException: bad bundle id");
        assertThat(called).containsExactly("eu");
    }

    @Test
    void asyncCallsFallBackInOrderToo() throws Exception {
        registry.admin().forceOpen("golem-lhr", Duration.ofMinutes(5), "on-call");
        CompletableFuture<String> result = golem.<String>callAsync(region -> {
            called.add(region);
            return region.equals("fra")
                    ? CompletableFuture.failedFuture(new IOException("fra down"))
                    : CompletableFuture.completedFuture("offer from " + region);
        }).toCompletableFuture();
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("offer from ams");
        assertThat(called).containsExactly("fra", "ams");

        CompletableFuture<String> failed = golem.<String>callAsync(
                region -> CompletableFuture.failedFuture(new IOException(region + " down"))).toCompletableFuture();
        assertThatThrownBy(() -> failed.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(AllRegionsFailedException.class)
                .hasMessageContaining("lhr: skipped (circuit breaker open); fra: IOException: fra down; ams: IOException: ams down");
    }

    @Test
    void everyRegionOpenLeavesNoActiveRegion() {
        for (String region : golem.regions()) {
            registry.admin().forceOpen("golem-" + region, Duration.ofMinutes(1), "on-call");
        }
        assertThat(golem.activeRegion()).isEmpty();
    }

    @Test
    void badFallbackConfigurationFailsFastNamingTheValue() {
        assertThatThrownBy(() -> RegionFallbackConfig.builder("golem").regions(List.of()))
                .hasMessage("regions must not be empty but was []");
        assertThatThrownBy(() -> RegionFallbackConfig.builder("golem").regions("lhr", "lhr"))
                .hasMessage("regions must not repeat a region but 'lhr' appears twice in [lhr, lhr]");
        assertThatThrownBy(() -> RegionFallbackConfig.builder("golem").build())
                .hasMessage("regions must not be empty but was [] for dependency golem");
        assertThatThrownBy(() -> registry.regionFallback("ipfs"))
                .hasMessage("no regions configured for dependency 'ipfs': set beacon.regions.ipfs=<region>,<region>,...");
        assertThatThrownBy(() -> registry.regionFallback(RegionFallbackConfig.builder("golem").regions("fra").build()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void regionGuardsAreNamedAfterDependencyAndRegionAndInheritItsSettings() {
        assertThat(registry.guards()).extracting(Guard::name).containsExactly("golem-ams", "golem-fra", "golem-lhr");
        assertThat(golem.guard("fra").config().slidingWindowSize()).isEqualTo(4);
        assertThat(registry.findRegionFallback("golem")).containsSame(golem);
        assertThatThrownBy(() -> registry.remove("golem-lhr")).isInstanceOf(IllegalStateException.class);
    }

    private String answer(String region) {
        called.add(region);
        return "offer from " + region;
    }

    private double fallbacks(String from, String to) {
        var counter = meters.find("beacon.region.fallbacks")
                .tags("dependency", "golem", "from", from, "to", to)
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
