package org.projectbeacon.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.projectbeacon.outbox.internal.ClaimFloor.FULL;

import org.junit.jupiter.api.Test;

class ClaimFloorTest {

    private static final int LIMIT = 500;
    private static final long SECOND = 1_000_000_000L;

    private final ClaimFloor floor = new ClaimFloor(SECOND);

    /** A claim started now and recorded at once. */
    private ClaimFloor.Start claim(long at, int rows, long firstSeq) {
        ClaimFloor.Start start = floor.from(at);
        floor.claimed(start, rows, LIMIT, firstSeq, at);
        return start;
    }

    @Test
    void theFirstClaimIsFullAndFullBatchesMoveTheFloorUp() {
        assertThat(claim(0, LIMIT, 100).fromSeq()).isEqualTo(FULL);
        assertThat(claim(10, LIMIT, 600).fromSeq()).isEqualTo(100);
        assertThat(floor.from(20).fromSeq()).isEqualTo(600);
        // A claim of another worker that began lower does not move it back.
        ClaimFloor.Start other = floor.from(20);
        floor.claimed(other, LIMIT, LIMIT, 300, 30);
        assertThat(floor.from(40).fromSeq()).isEqualTo(600);
    }

    @Test
    void aShortBatchMakesTheNextClaimFullWhateverOtherWorkersClaimMeanwhile() {
        claim(0, LIMIT, 100);
        ClaimFloor.Start a = floor.from(10);
        ClaimFloor.Start b = floor.from(10);
        floor.claimed(a, 3, LIMIT, 600, 20);
        floor.claimed(b, LIMIT, LIMIT, 1_100, 20); // b's full batch does not clear a's signal
        assertThat(floor.from(30).full()).isTrue();
        assertThat(floor.from(30).full()).isTrue(); // until a full claim is recorded
        claim(30, LIMIT, 50);
        assertThat(floor.from(40).fromSeq()).isEqualTo(50);
    }

    @Test
    void anEmptyFullClaimKeepsTheNextOneFull() {
        claim(0, 0, 0);
        assertThat(floor.from(10).full()).isTrue();
    }

    @Test
    void aFullClaimIsDueOnceTheIntervalHasPassedAndResetsTheFloor() {
        claim(0, LIMIT, 100);
        claim(SECOND / 2, LIMIT, 5_000);
        assertThat(floor.from(SECOND - 1).fromSeq()).isEqualTo(5_000);
        ClaimFloor.Start full = floor.from(SECOND);
        assertThat(full.full()).isTrue();
        // A retry below the floor came due: the full claim finds it and the floor starts there again.
        floor.claimed(full, LIMIT, LIMIT, 42, SECOND);
        assertThat(floor.from(SECOND + 1).fromSeq()).isEqualTo(42);
    }

    @Test
    void aClaimStartedBeforeTheLatestFullClaimDoesNotRaiseTheFloorAgain() {
        claim(0, LIMIT, 100);
        claim(10, LIMIT, 5_000);
        ClaimFloor.Start inFlight = floor.from(20); // from 5,000, still running
        ClaimFloor.Start full = floor.from(SECOND);
        floor.claimed(full, LIMIT, LIMIT, 42, SECOND);
        floor.claimed(inFlight, LIMIT, LIMIT, 5_500, SECOND + 5);
        assertThat(floor.from(SECOND + 10).fromSeq()).isEqualTo(42);
    }

    @Test
    void twoFullClaimsAtOnceKeepTheLowerFloor() {
        ClaimFloor.Start a = floor.from(0);
        ClaimFloor.Start b = floor.from(0);
        floor.claimed(a, LIMIT, LIMIT, 42, 1);
        floor.claimed(b, LIMIT, LIMIT, 542, 2);
        assertThat(floor.from(3).fromSeq()).isEqualTo(42);
    }

    @Test
    void aZeroIntervalMakesEveryClaimFull() {
        ClaimFloor always = new ClaimFloor(0);
        ClaimFloor.Start first = always.from(0);
        always.claimed(first, LIMIT, LIMIT, 100, 0);
        assertThat(always.from(0).full()).isTrue();
    }
}
