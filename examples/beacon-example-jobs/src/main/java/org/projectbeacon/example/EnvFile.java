package org.projectbeacon.example;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The runner's configuration file ({@code runner.env} by default): {@code KEY=VALUE} lines with the
 * {@code BEACON_*} keys the runners read (the plain runner and the Spring Boot example share it), so a restart keeps database, Redis, port and admin token
 * without putting the token on a command line where {@code ps} shows it. The same file is valid
 * shell: {@code set -a; . ./runner.env; set +a} gives an operator's shell the runner's settings (the
 * runbook's commands read {@code BEACON_REDIS_URI}, {@code BEACON_PORT} and the token from there).
 *
 * <p>Format: one {@code KEY=VALUE} per line, an optional leading {@code export }, the value optionally
 * in single or double quotes (no escapes, no expansion); blank lines and lines starting with
 * {@code #} are skipped. A line that is none of these, a key the runner does not know, or a key given
 * twice is an {@link IllegalArgumentException} naming the file, line number and key, never the
 * value (it may be the token). Stateless; every method is thread-safe.
 */
public final class EnvFile {

    /** The file read when {@code --config} is not given and it exists in the working directory. */
    public static final String DEFAULT_NAME = "runner.env";

    /**
     * Every key the runners read, from the file or the environment. {@code BEACON_RUNNER_JAR} is for the
     * operator's shell only (the runbook's {@code pgrep} and restart lines name the jar through it, so
     * they work for either runner); the runners accept and ignore it.
     */
    public static final Set<String> KEYS = Set.of("BEACON_DB_URL", "BEACON_REDIS_URI", "BEACON_IPFS_API",
            "BEACON_PORT", "BEACON_ADMIN_TOKEN", "BEACON_LOG_FILE", "BEACON_RUNNER_JAR");

    /** Characters a shell sourcing the file would treat specially in an unquoted value. */
    private static final String SHELL_SPECIAL = "$`\"'\\&;|<>()";

    private EnvFile() {}

    /**
     * The settings of {@code file}, in file order.
     *
     * @throws IllegalArgumentException when the file is missing, not UTF-8, or has a bad line (named
     *     by number and key, without its value)
     * @throws UncheckedIOException when it cannot be read
     */
    public static Map<String, String> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("config file " + file + " does not exist");
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("config file " + file + " must be UTF-8 text");
        } catch (IOException e) {
            throw new UncheckedIOException("config file " + file + " cannot be read: " + e.getMessage(), e);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            String where = file + ":" + (i + 1);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).stripLeading();
            }
            int equals = line.indexOf('=');
            if (equals <= 0) {
                // The line is not echoed: it may be a token pasted without its key.
                throw new IllegalArgumentException(where + ": expected KEY=VALUE (or a # comment) but the line has "
                        + (equals < 0 ? "no '='" : "no key before '='"));
            }
            String key = line.substring(0, equals);
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown key '" + printable(key) + "'; expected one of "
                        + String.join(", ", KEYS.stream().sorted().toList()));
            }
            if (settings.containsKey(key)) {
                throw new IllegalArgumentException(where + ": key " + key + " is set a second time");
            }
            settings.put(key, unquote(line.substring(equals + 1), where, key));
        }
        return settings;
    }

    /**
     * The environment the runner reads: {@code env} over the settings of the config file, which is
     * {@code --config FILE} from {@code args} (relative to {@code workingDir}), else
     * {@value #DEFAULT_NAME} in {@code workingDir} when it exists, else none. The process environment
     * wins so that a one-off {@code BEACON_PORT=8081 java -jar ...} overrides the file.
     *
     * @throws IllegalArgumentException as {@link #read(Path)}, or when {@code --config} has no value
     */
    public static Map<String, String> environment(String[] args, Map<String, String> env, Path workingDir) {
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            if ("--config".equals(args[i])) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option --config needs a value");
                }
                file = workingDir.resolve(args[i + 1]);
            }
        }
        if (file == null && Files.isRegularFile(workingDir.resolve(DEFAULT_NAME))) {
            file = workingDir.resolve(DEFAULT_NAME);
        }
        Map<String, String> merged = new LinkedHashMap<>();
        if (file != null) {
            merged.putAll(read(file));
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getValue() != null && !e.getValue().isBlank()) {
                merged.put(e.getKey(), e.getValue());
            }
        }
        return merged;
    }

    private static String unquote(String raw, String where, String key) {
        String value = raw.strip();
        if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')) {
            char quote = value.charAt(0);
            if (value.charAt(value.length() - 1) != quote || value.indexOf(quote, 1) != value.length() - 1) {
                throw new IllegalArgumentException(where + ": the value of " + key + " opens a " + quote
                        + " quote it does not close at the end of the line");
            }
            String inner = value.substring(1, value.length() - 1);
            if (quote == '"' && inner.chars().anyMatch(c -> c == '$' || c == '`' || c == '\\')) {
                throw new IllegalArgumentException(where + ": the value of " + key
                        + " has '$', '`' or '\\' in double quotes, which a shell would expand; use single quotes");
            }
            return inner;
        }
        if (value.startsWith("\"") || value.startsWith("'")) {
            throw new IllegalArgumentException(where + ": the value of " + key + " opens a quote it does not close");
        }
        // A shell sourcing the file would expand or split these; the runner would not, so refuse both readings.
        if (value.chars().anyMatch(c -> SHELL_SPECIAL.indexOf(c) >= 0 || Character.isWhitespace(c))) {
            throw new IllegalArgumentException(where + ": the value of " + key + " has a space or one of "
                    + SHELL_SPECIAL + " outside quotes, which a shell sourcing the file reads differently;"
                    + " put the value in single quotes");
        }
        return value;
    }

    private static String printable(String value) {
        String cut = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
