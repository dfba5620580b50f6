package org.projectbeacon.example;

import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * How the example runner starts: port, database, Redis, IPFS API, admin token, and (for tests) a
 * clock and names that keep runs apart.
 *
 * @param bindAddress the address to serve on
 * @param port the port, 0 for any free one
 * @param dbUrl a JDBC URL, or {@code null} for the embedded H2 default
 * @param redisUri a Redis URI, or {@code null} for the in-process sink
 * @param ipfsApi an IPFS HTTP API, or {@code null} for the simulated one
 * @param adminToken the admin API's bearer token, or {@code null} to keep the admin API off
 * @param prefix table and key prefix, so several runners or tests can share one database and Redis
 * @param clock the clock of job and outbox times
 */
public record RunnerConfig(
        String bindAddress, int port, String dbUrl, String redisUri, URI ipfsApi, String adminToken, String prefix,
        Clock clock) {

    /** Default {@value}. */
    public static final int DEFAULT_PORT = 8080;
    /** Redis URI schemes: one server, a Sentinel-managed primary, a Redis Cluster (seed nodes). */
    public static final java.util.List<String> REDIS_SCHEMES = java.util.List.of(
            "redis://", "rediss://", "redis-sentinel://", "redis+cluster://", "rediss+cluster://");

    /** Validates the fields, naming the bad one. */
    public RunnerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in [0, 65535] but was " + port);
        }
        if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:") && !dbUrl.startsWith("jdbc:h2:")) {
            throw new IllegalArgumentException("db must be a jdbc:postgresql: or jdbc:h2: URL but was '" + redact(dbUrl) + "'");
        }
        if (redisUri != null && REDIS_SCHEMES.stream().noneMatch(redisUri::startsWith)) {
            throw new IllegalArgumentException("redis must be a " + String.join(", ", REDIS_SCHEMES)
                    + " URI but was '" + redact(redisUri) + "'");
        }
        if (prefix == null || !prefix.matches("[a-z][a-z0-9_]{0,19}")) {
            throw new IllegalArgumentException("prefix must match [a-z][a-z0-9_]{0,19} but was '" + prefix + "'");
        }
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(bindAddress, "bindAddress");
    }

    /**
     * Reads {@code --db URL}, {@code --redis URI}, {@code --ipfs URL}, {@code --port N} from
     * {@code args}, falling back to {@code BEACON_DB_URL}, {@code BEACON_REDIS_URI},
     * {@code BEACON_IPFS_API}, {@code BEACON_PORT}; the token comes only from
     * {@code BEACON_ADMIN_TOKEN}, never from the command line where {@code ps} would show it.
     * {@code --config FILE} is accepted and skipped: {@link EnvFile#environment} has merged that file
     * into {@code env} already.
     *
     * @throws IllegalArgumentException for an unknown option or a bad value, naming it
     */
    public static RunnerConfig from(String[] args, Map<String, String> env) {
        String db = env.get("BEACON_DB_URL");
        String redis = env.get("BEACON_REDIS_URI");
        String ipfs = env.get("BEACON_IPFS_API");
        String port = env.getOrDefault("BEACON_PORT", Integer.toString(DEFAULT_PORT));
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--db" -> db = value;
                case "--redis" -> redis = value;
                case "--ipfs" -> ipfs = value;
                case "--port" -> port = value;
                case "--config" -> { } // read by EnvFile.environment into env before this
                default -> throw new IllegalArgumentException("unknown option '" + option
                        + "'; expected --config, --db, --redis, --ipfs or --port");
            }
        }
        int portNumber;
        try {
            portNumber = Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port must be a number but was '" + port + "'");
        }
        String token = env.get("BEACON_ADMIN_TOKEN");
        return new RunnerConfig("127.0.0.1", portNumber, blankToNull(db), blankToNull(redis),
                blankToNull(ipfs) == null ? null : URI.create(ipfs), blankToNull(token), "runner", Clock.systemUTC());
    }

    /** The same configuration with another prefix, port and clock; for tests. */
    public RunnerConfig with(String newPrefix, int newPort, Clock newClock) {
        return new RunnerConfig(bindAddress, newPort, dbUrl, redisUri, ipfsApi, adminToken, newPrefix, newClock);
    }

    /** The same configuration with another admin token. */
    public RunnerConfig withAdminToken(String token) {
        return new RunnerConfig(bindAddress, port, dbUrl, redisUri, ipfsApi, token, prefix, clock);
    }

    @Override
    public String toString() {
        return "RunnerConfig{port=" + port + ", db=" + (dbUrl == null ? "embedded H2" : redact(dbUrl))
                + ", redis=" + (redisUri == null ? "in-process sink" : redact(redisUri))
                + ", ipfs=" + (ipfsApi == null ? "simulated" : ipfsApi) + ", admin API "
                + (adminToken == null ? "off" : "on") + ", prefix=" + prefix + '}';
    }

    /** A URL without what may be a password: user info and query parameters are cut. */
    static String redact(String url) {
        String cut = url.replaceAll("//[^/@]*@", "//***@");
        int query = cut.indexOf('?');
        return query < 0 ? cut : cut.substring(0, query) + "?***";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
