package org.projectbeacon.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.projectbeacon.outbox.internal.ClaimFloor.FULL;

import org.junit.jupiter.api.Test;

class ClaimFloorTest {

    private static final int LIMIT = 500;

    @Test
    void theFirstClaimIsFullAndFullBatchesMoveTheFloorUp() {
        ClaimFloor floor = new ClaimFloor(1_000);
        assertThat(floor.from(0)).isEqualTo(FULL);
        floor.claimed(FULL, LIMIT, LIMIT, 100, 0);
        assertThat(floor.from(10)).isEqualTo(100);
        floor.claimed(100, LIMIT, LIMIT, 600, 10);
        assertThat(floor.from(20)).isEqualTo(600);
        // A worker whose claim began lower (it claimed before another's) does not move it back.
        floor.claimed(600, LIMIT, LIMIT, 300, 30);
        assertThat(floor.from(40)).isEqualTo(600);
    }

    @Test
    void aShortBatchMakesTheNextClaimFull() {
        ClaimFloor floor = new ClaimFloor(1_000);
        floor.claimed(FULL, LIMIT, LIMIT, 100, 0);
        floor.claimed(100, 3, LIMIT, 600, 10);
        assertThat(floor.from(20)).isEqualTo(FULL);
        floor.claimed(FULL, 0, LIMIT, 0, 20);
        assertThat(floor.from(30)).isEqualTo(FULL);
    }

    @Test
    void aFullClaimIsDueOnceTheIntervalHasPassedAndResetsTheFloor() {
        ClaimFloor floor = new ClaimFloor(1_000);
        floor.claimed(FULL, LIMIT, LIMIT, 100, 0);
        floor.claimed(100, LIMIT, LIMIT, 5_000, 500);
        assertThat(floor.from(999)).isEqualTo(5_000);
        assertThat(floor.from(1_000)).isEqualTo(FULL);
        // A retry below the floor came due: the full claim finds it and the floor starts there again.
        floor.claimed(FULL, LIMIT, LIMIT, 42, 1_000);
        assertThat(floor.from(1_001)).isEqualTo(42);
    }

    @Test
    void aZeroIntervalMakesEveryClaimFull() {
        ClaimFloor floor = new ClaimFloor(0);
        floor.claimed(FULL, LIMIT, LIMIT, 100, 0);
        assertThat(floor.from(0)).isEqualTo(FULL);
    }
}
