package org.projectbeacon.example.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.StandardEnvironment;

/** runner.env for the Boot application: the plain runner's keys mapped onto Spring properties. */
class RunnerEnvTest {

    @TempDir
    Path dir;

    @Test
    void theRunnerEnvInTheWorkingDirectoryMapsOntoSpringProperties() throws Exception {
        Files.writeString(dir.resolve("runner.env"), String.join("\n",
                "BEACON_DB_URL='jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=s'",
                "BEACON_REDIS_URI=redis://127.0.0.1:6390",
                "BEACON_PORT=18701",
                "BEACON_ADMIN_TOKEN=tok-123",
                "BEACON_IPFS_API=http://127.0.0.1:5001",
                "BEACON_RUNNER_JAR=examples/beacon-spring-boot-example/target/app.jar", ""));
        StandardEnvironment environment = RunnerEnv.environment(new String[0], Map.of(), dir);
        assertThat(environment.getProperty("spring.datasource.url"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=s");
        assertThat(environment.getProperty("beacon.sink.redis-uri")).isEqualTo("redis://127.0.0.1:6390");
        assertThat(environment.getProperty("server.port")).isEqualTo("18701");
        assertThat(environment.getProperty("beacon.admin.token")).isEqualTo("tok-123");
        assertThat(environment.getProperty("logging.file.name")).isEqualTo("runner.log");
    }

    @Test
    void theProcessEnvironmentOverridesTheFileAndConfigNamesAnotherFile() throws Exception {
        Files.writeString(dir.resolve("other.env"), "BEACON_PORT=18702\nBEACON_LOG_FILE=logs/boot.log\n");
        StandardEnvironment environment = RunnerEnv.environment(new String[] {"--config", "other.env"},
                Map.of("BEACON_PORT", "18703", "HOME", "/root"), dir);
        assertThat(environment.getProperty("server.port")).isEqualTo("18703");
        assertThat(environment.getProperty("logging.file.name")).isEqualTo("logs/boot.log");
        assertThat(RunnerEnv.springArguments(new String[] {"--config", "other.env", "--server.port=1"}))
                .containsExactly("--server.port=1");
    }

    @Test
    void aBadLineFailsNamingFileLineAndKeyButNotTheValue() throws Exception {
        Files.writeString(dir.resolve("runner.env"), "BEACON_PORT=18704\nBEACON_ADMIN_TOKN=secret-value\n");
        assertThatThrownBy(() -> RunnerEnv.environment(new String[0], Map.of(), dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("runner.env:2").hasMessageContaining("BEACON_ADMIN_TOKN")
                .hasMessageNotContaining("secret-value");
    }

    @Test
    void withoutAFileOnlyTheLogFileIsSet() {
        StandardEnvironment environment = RunnerEnv.environment(new String[0], Map.of(), dir);
        assertThat(environment.getPropertySources().get(RunnerEnv.SOURCE).getSource())
                .isEqualTo(Map.of("logging.file.name", "runner.log"));
    }
}
