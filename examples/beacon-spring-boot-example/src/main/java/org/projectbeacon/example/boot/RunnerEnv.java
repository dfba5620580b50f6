package org.projectbeacon.example.boot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.projectbeacon.example.EnvFile;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The plain runner's {@code runner.env} for the Boot application: the same file ({@code --config FILE},
 * else {@code ./runner.env} when it exists) and the same {@code BEACON_*} keys, read by {@link EnvFile}
 * and mapped onto Spring properties, so the README's quick start and the runbook's commands work
 * against either runner. The process environment overrides the file (as in the plain runner), and
 * Spring's own {@code --key=value} arguments override both.
 *
 * <p>A bad line fails the start with {@link EnvFile}'s message, which names file, line and key but
 * never the value (it may be the admin token). Stateless; thread-safe.
 */
final class RunnerEnv {

    /** Name of the property source holding the mapped settings. */
    static final String SOURCE = "runner.env";
    /** Where the log goes without {@code BEACON_LOG_FILE}: the plain runner's file, for the runbook's greps. */
    static final String DEFAULT_LOG_FILE = "runner.log";

    /**
     * The Spring property of each key. {@code BEACON_IPFS_API} (this example simulates IPFS) and
     * {@code BEACON_RUNNER_JAR} (for the operator's shell) are accepted and not mapped.
     */
    static final Map<String, String> PROPERTIES = Map.of(
            "BEACON_DB_URL", "spring.datasource.url",
            "BEACON_REDIS_URI", "beacon.sink.redis-uri",
            "BEACON_PORT", "server.port",
            "BEACON_ADMIN_TOKEN", "beacon.admin.token",
            "BEACON_LOG_FILE", "logging.file.name");

    private RunnerEnv() {}

    /**
     * The Spring properties of a runner environment ({@code BEACON_*} keys; other keys are ignored),
     * with {@code logging.file.name} defaulting to {@value #DEFAULT_LOG_FILE}.
     */
    static Map<String, Object> properties(Map<String, String> environment) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("logging.file.name", DEFAULT_LOG_FILE);
        PROPERTIES.forEach((key, property) -> {
            String value = environment.get(key);
            if (value != null && !value.isBlank()) {
                properties.put(property, value);
            }
        });
        return properties;
    }

    /**
     * An environment whose highest-precedence source (below the command line, which Spring adds on
     * run) is the runner environment of {@code args}, {@code env} and {@code workingDir}.
     *
     * @throws IllegalArgumentException as {@link EnvFile#environment}
     */
    static StandardEnvironment environment(String[] args, Map<String, String> env, Path workingDir) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(
                new MapPropertySource(SOURCE, properties(EnvFile.environment(args, env, workingDir))));
        return environment;
    }

    /** {@code args} without {@code --config FILE}, which Spring would read as a property and an argument. */
    static String[] springArguments(String[] args) {
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if ("--config".equals(args[i])) {
                i++;
            } else {
                rest.add(args[i]);
            }
        }
        return rest.toArray(String[]::new);
    }
}
