package org.projectbeacon.maven.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChecksTest {

    @Test
    void thereIsExactlyOneCheckPerId() {
        assertThat(Checks.all()).extracting(Check::id).containsExactly(CheckId.values());
    }
}
