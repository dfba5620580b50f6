package org.projectbeacon.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvFileTest {

    private static final String TOKEN = "t0ken-never-echoed";

    @TempDir
    Path dir;

    @Test
    void readsKeyValueLinesCommentsExportAndQuotes() throws IOException {
        Path file = write("runner.env", """
                # the example on PostgreSQL
                BEACON_DB_URL='jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=s'
                export BEACON_REDIS_URI=redis://127.0.0.1:6379

                BEACON_ADMIN_TOKEN="%s"
                BEACON_PORT=18401
                """.formatted(TOKEN));

        assertThat(EnvFile.read(file)).containsExactly(
                Map.entry("BEACON_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=s"),
                Map.entry("BEACON_REDIS_URI", "redis://127.0.0.1:6379"),
                Map.entry("BEACON_ADMIN_TOKEN", TOKEN),
                Map.entry("BEACON_PORT", "18401"));
    }

    @Test
    void badLinesAreNamedByFileLineAndKeyNeverByValue() throws IOException {
        assertThatThrownBy(() -> EnvFile.read(write("a.env", "BEACON_PORT=1\n" + TOKEN + "\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a.env:2: expected KEY=VALUE")
                .hasMessageNotContaining(TOKEN);
        assertThatThrownBy(() -> EnvFile.read(write("b.env", "BEACON_TOKEN=" + TOKEN + "\n")))
                .hasMessageContaining("b.env:1: unknown key 'BEACON_TOKEN'")
                .hasMessageContaining("BEACON_ADMIN_TOKEN")
                .hasMessageNotContaining(TOKEN);
        assertThatThrownBy(() -> EnvFile.read(write("c.env", "BEACON_PORT=1\nBEACON_PORT=2\n")))
                .hasMessageContaining("c.env:2: key BEACON_PORT is set a second time");
        assertThatThrownBy(() -> EnvFile.read(write("d.env", "BEACON_DB_URL=jdbc:postgresql://h/db?a=1&b=2\n")))
                .hasMessageContaining("d.env:1: the value of BEACON_DB_URL has a space or one of")
                .hasMessageContaining("single quotes");
        assertThatThrownBy(() -> EnvFile.read(write("e.env", "BEACON_ADMIN_TOKEN='" + TOKEN + "\n")))
                .hasMessageContaining("e.env:1: the value of BEACON_ADMIN_TOKEN opens a ' quote")
                .hasMessageNotContaining(TOKEN);
        assertThatThrownBy(() -> EnvFile.read(dir.resolve("missing.env")))
                .hasMessageContaining("missing.env does not exist");
    }

    @Test
    void environmentWinsOverTheDefaultFileAndConfigNamesAnother() throws IOException {
        write("runner.env", "BEACON_PORT=18402\nBEACON_ADMIN_TOKEN=" + TOKEN + "\n");
        write("other.env", "BEACON_PORT=18403\n");

        Map<String, String> fromDefault = EnvFile.environment(new String[0], Map.of("BEACON_PORT", "18404"), dir);
        Map<String, String> fromOther = EnvFile.environment(new String[] {"--config", "other.env"}, Map.of(), dir);

        assertThat(fromDefault).containsEntry("BEACON_PORT", "18404").containsEntry("BEACON_ADMIN_TOKEN", TOKEN);
        assertThat(fromOther).containsExactly(Map.entry("BEACON_PORT", "18403"));
        RunnerConfig config = RunnerConfig.from(new String[] {"--config", "other.env"}, fromDefault);
        assertThat(config.port()).isEqualTo(18404);
        assertThat(config.adminToken()).isEqualTo(TOKEN);
        assertThat(config.toString()).doesNotContain(TOKEN);
    }

    @Test
    void noFileNoSettingsAndConfigWithoutValueIsRefused() {
        assertThat(EnvFile.environment(new String[0], Map.of(), dir)).isEmpty();
        assertThatThrownBy(() -> EnvFile.environment(new String[] {"--config"}, Map.of(), dir))
                .hasMessage("option --config needs a value");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
