package org.projectbeacon.example;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoadGeneratorTest {

    @Test
    void theIdOfAnAcceptedJobIsReadFromItsAnswer() {
        assertThat(LoadGenerator.jobId("{\"id\":\"84a5a4ab-f634-472e-b1ec-0471f05fb326\"}"))
                .contains("84a5a4ab-f634-472e-b1ec-0471f05fb326");
        assertThat(LoadGenerator.jobId("{ \"id\" : \"a-1\" }")).contains("a-1");
    }

    @Test
    void anAnswerWithoutAnIdGivesNone() {
        assertThat(LoadGenerator.jobId("{\"error\":\"busy\"}")).isEmpty();
        assertThat(LoadGenerator.jobId("")).isEmpty();
        assertThat(LoadGenerator.jobId(null)).isEmpty();
    }
}
