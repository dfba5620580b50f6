package org.projectbeacon.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.projectbeacon.resilience.GuardSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Every {@code beacon.*} key of a Spring Boot application, bound by Boot and described in the
 * generated configuration metadata so IDEs complete them.
 *
 * <p>Failure behaviour: unknown keys under {@code beacon.} fail start-up (the binder names the key);
 * a value of the wrong type fails binding naming key and value; guard settings are checked by
 * {@link GuardSettings}, whose message names the full key and the value, exactly as with the plain
 * API. Defaults are the library's own constants. Not thread-safe: a binding target read at start-up.
 */
@ConfigurationProperties(prefix = "beacon", ignoreUnknownFields = false)
public class BeaconProperties {

    /** Settings applied to every guard, as beacon.guard-defaults.&lt;setting&gt;. */
    private GuardProperties guardDefaults = new GuardProperties();
    /** Per-guard settings, as beacon.guards.&lt;name&gt;.&lt;setting&gt;. */
    private Map<String, GuardProperties> guards = new LinkedHashMap<>();
    /** Regions of a fallback in order of preference, as beacon.regions.&lt;dependency&gt;=lhr,fra,ams. */
    private Map<String, List<String>> regions = new LinkedHashMap<>();
    /** The admin API. */
    private final Admin admin = new Admin();
    /** The runbook's HTTP paths served by the application's servlet container. */
    private final Http http = new Http();
    /** Health checks. */
    private final Health health = new Health();
    /** The transactional outbox. */
    private final Outbox outbox = new Outbox();
    /** The outbox publisher. */
    private final Publisher publisher = new Publisher();
    /** Where the publisher sends messages. */
    private final Sink sink = new Sink();
    /** The Redis stream consumer (active when the application defines a StreamHandler bean). */
    private final Consumer consumer = new Consumer();

    /**
     * The guard and region settings as {@link GuardSettings} reads them.
     *
     * @return the settings
     * @throws IllegalArgumentException for a bad setting, naming its full key and value
     */
    public GuardSettings guardSettings() {
        Map<String, String> flat = new TreeMap<>();
        guardDefaults.settings().forEach((setting, value) -> flat.put(GuardSettings.DEFAULTS_PREFIX + setting, value));
        guards.forEach((name, guard) -> guard.settings()
                .forEach((setting, value) -> flat.put(GuardSettings.GUARDS_PREFIX + name + "." + setting, value)));
        regions.forEach((dependency, list) -> flat.put(GuardSettings.REGIONS_PREFIX + dependency, String.join(",", list)));
        return GuardSettings.fromMap(flat);
    }

    /** @return settings applied to every guard */
    public GuardProperties getGuardDefaults() {
        return guardDefaults;
    }

    /** @param guardDefaults settings applied to every guard */
    public void setGuardDefaults(GuardProperties guardDefaults) {
        this.guardDefaults = guardDefaults;
    }

    /** @return per-guard settings by guard name */
    public Map<String, GuardProperties> getGuards() {
        return guards;
    }

    /** @param guards per-guard settings by guard name */
    public void setGuards(Map<String, GuardProperties> guards) {
        this.guards = guards;
    }

    /** @return regions by dependency */
    public Map<String, List<String>> getRegions() {
        return regions;
    }

    /** @param regions regions by dependency */
    public void setRegions(Map<String, List<String>> regions) {
        this.regions = regions;
    }

    /** @return the admin API settings */
    public Admin getAdmin() {
        return admin;
    }

    /** @return the HTTP settings */
    public Http getHttp() {
        return http;
    }

    /** @return the health settings */
    public Health getHealth() {
        return health;
    }

    /** @return the outbox settings */
    public Outbox getOutbox() {
        return outbox;
    }

    /** @return the publisher settings */
    public Publisher getPublisher() {
        return publisher;
    }

    /** @return the sink settings */
    public Sink getSink() {
        return sink;
    }

    /** @return the consumer settings */
    public Consumer getConsumer() {
        return consumer;
    }

    /** {@code beacon.admin.*}. */
    public static class Admin {
        /** Bearer token of the admin API and of Beacon's Actuator endpoints; unset turns them off. Never logged. */
        private String token;

        /** @return the token, or {@code null} */
        public String getToken() {
            return token;
        }

        /** @param token the bearer token */
        public void setToken(String token) {
            this.token = token;
        }

        @Override
        public String toString() {
            return "Admin{token=" + (token == null ? "unset" : "<set>") + "}";
        }
    }

    /** {@code beacon.http.*}. */
    public static class Http {
        /** Serve /health/live, /health/ready, /metrics and /api/v1/admin/* on the application's port. */
        private boolean enabled = true;

        /**
         * Serve the operator console at /console/ with its public /health/history and /health/breakers
         * (actions on the page still need the admin token).
         */
        private boolean console = true;

        /** @return whether the operator console is served */
        public boolean isConsole() {
            return console;
        }

        /** @param console whether the operator console is served */
        public void setConsole(boolean console) {
            this.console = console;
        }

        /** @return whether the runbook's paths are served */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the runbook's paths are served */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * Further servlet paths answered by Beacon's endpoints, for the application's own
         * {@link BeaconRoutes} outside the runbook's paths (such as {@code /api/v1/jobs/*}).
         */
        private java.util.List<String> additionalPaths = new java.util.ArrayList<>();

        /** @return the further servlet paths */
        public java.util.List<String> getAdditionalPaths() {
            return additionalPaths;
        }

        /** @param additionalPaths the further servlet paths, each starting with {@code /} */
        public void setAdditionalPaths(java.util.List<String> additionalPaths) {
            for (String path : additionalPaths) {
                if (path == null || !path.startsWith("/")) {
                    throw new IllegalArgumentException(
                            "beacon.http.additional-paths must start with / but was " + path);
                }
            }
            this.additionalPaths = new java.util.ArrayList<>(additionalPaths);
        }
    }

    /** {@code beacon.health.*}. */
    public static class Health {
        /** How often each check runs. */
        private Duration interval = org.projectbeacon.health.CheckOptions.DEFAULT_INTERVAL;
        /** A check per guard and per region fallback (critical), reporting breaker state and stats. */
        private boolean breakers = true;
        /** A check of the outbox's DataSource (critical). */
        private boolean database = true;
        /** A check of the outbox backlog (not critical: DEGRADED when messages are stuck). */
        private boolean outbox = true;
        /** A check of the sink's Redis, when the sink is Redis (not critical unless redis-critical). */
        private boolean redis = true;
        /**
         * Whether a DOWN Redis check takes readiness DOWN. Off by default: while Redis is down accepted
         * messages wait in the outbox, so the instance can still take work (StreamConsumerStalled alerts).
         */
        private boolean redisCritical = false;
        /** Whether a DOWN stream consumer check takes readiness DOWN; off by default, like redis-critical. */
        private boolean consumerCritical = false;

        /** @return the check interval */
        public Duration getInterval() {
            return interval;
        }

        /** @param interval the check interval */
        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        /** @return whether breakers are checked */
        public boolean isBreakers() {
            return breakers;
        }

        /** @param breakers whether breakers are checked */
        public void setBreakers(boolean breakers) {
            this.breakers = breakers;
        }

        /** @return whether the database is checked */
        public boolean isDatabase() {
            return database;
        }

        /** @param database whether the database is checked */
        public void setDatabase(boolean database) {
            this.database = database;
        }

        /** @return whether the outbox backlog is checked */
        public boolean isOutbox() {
            return outbox;
        }

        /** @param outbox whether the outbox backlog is checked */
        public void setOutbox(boolean outbox) {
            this.outbox = outbox;
        }

        /** @return whether Redis is checked */
        public boolean isRedis() {
            return redis;
        }

        /** @param redis whether Redis is checked */
        public void setRedis(boolean redis) {
            this.redis = redis;
        }

        /** @return whether the Redis check is critical */
        public boolean isRedisCritical() {
            return redisCritical;
        }

        /** @param redisCritical whether the Redis check is critical */
        public void setRedisCritical(boolean redisCritical) {
            this.redisCritical = redisCritical;
        }

        /** @return whether the stream consumer check is critical */
        public boolean isConsumerCritical() {
            return consumerCritical;
        }

        /** @param consumerCritical whether the stream consumer check is critical */
        public void setConsumerCritical(boolean consumerCritical) {
            this.consumerCritical = consumerCritical;
        }
    }

    /** How the outbox's tables are created. */
    public enum Migration {
        /** With Flyway when it is on the classpath (own history table), else with {@code Outbox.migrate}. */
        AUTO,
        /** With Flyway, in a history table of its own ({@code <table-prefix>beacon_outbox_history}). */
        FLYWAY,
        /** With {@code Outbox.migrate(DataSource)}: idempotent CREATE ... IF NOT EXISTS scripts. */
        PLAIN,
        /** Not at all: the application creates the tables. */
        NONE
    }

    /** {@code beacon.outbox.*}. */
    public static class Outbox {
        /** Whether the outbox is configured (it needs a DataSource bean). */
        private boolean enabled = true;
        /** postgresql, mariadb or h2; unset detects it from the DataSource. */
        private String dialect;
        /** Prefix of the outbox tables, such as runner_. */
        private String tablePrefix = org.projectbeacon.outbox.OutboxConfig.DEFAULT_TABLE_PREFIX;
        /** Largest payload accepted, in bytes. */
        private int maxPayloadBytes = org.projectbeacon.outbox.OutboxConfig.DEFAULT_MAX_PAYLOAD_BYTES;
        /** How the tables are created. */
        private Migration migration = Migration.AUTO;

        /** @return whether the outbox is on */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the outbox is on */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the dialect name, or {@code null} to detect it */
        public String getDialect() {
            return dialect;
        }

        /** @param dialect the dialect name */
        public void setDialect(String dialect) {
            this.dialect = dialect;
        }

        /** @return the table prefix */
        public String getTablePrefix() {
            return tablePrefix;
        }

        /** @param tablePrefix the table prefix */
        public void setTablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
        }

        /** @return the payload limit */
        public int getMaxPayloadBytes() {
            return maxPayloadBytes;
        }

        /** @param maxPayloadBytes the payload limit */
        public void setMaxPayloadBytes(int maxPayloadBytes) {
            this.maxPayloadBytes = maxPayloadBytes;
        }

        /** @return how the tables are created */
        public Migration getMigration() {
            return migration;
        }

        /** @param migration how the tables are created */
        public void setMigration(Migration migration) {
            this.migration = migration;
        }
    }

    /** {@code beacon.publisher.*}. */
    public static class Publisher {
        /** Whether the publisher runs (as a SmartLifecycle bean). */
        private boolean enabled = true;
        /** Publishing threads. */
        private int workers = org.projectbeacon.outbox.PublisherConfig.DEFAULT_WORKERS;
        /** Messages claimed per batch. */
        private int batchSize = org.projectbeacon.outbox.PublisherConfig.DEFAULT_BATCH_SIZE;
        /** Poll interval when no wake-up arrives. */
        private Duration pollInterval = org.projectbeacon.outbox.PublisherConfig.DEFAULT_POLL_INTERVAL;
        /**
         * While a backlog drains, the longest time between two claims that look at the whole table
         * (claims in between start at the claim floor, after the rows already claimed); zero makes every claim full.
         */
        private Duration fullClaimInterval = org.projectbeacon.outbox.PublisherConfig.DEFAULT_FULL_CLAIM_INTERVAL;
        /** Lease of a claimed batch. */
        private Duration leaseDuration = org.projectbeacon.outbox.PublisherConfig.DEFAULT_LEASE_DURATION;
        /** Attempts before a message goes to the dead letter queue. */
        private int maxAttempts = org.projectbeacon.outbox.PublisherConfig.DEFAULT_MAX_ATTEMPTS;
        /** First retry wait of a failed message. */
        private Duration backoffInitial = org.projectbeacon.outbox.PublisherConfig.DEFAULT_BACKOFF_INITIAL;
        /** Longest retry wait of a failed message. */
        private Duration backoffMax = org.projectbeacon.outbox.PublisherConfig.DEFAULT_BACKOFF_MAX;
        /** What happens to a published row: DELETE, MARK_PUBLISHED or KEEP_UNTIL_DONE. */
        private org.projectbeacon.outbox.AckMode ackMode = org.projectbeacon.outbox.PublisherConfig.DEFAULT_ACK_MODE;
        /** How long a stop waits for in-flight batches during Boot's graceful shutdown. */
        private Duration stopTimeout = Duration.ofSeconds(10);

        /** @return whether the publisher runs */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the publisher runs */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the worker count */
        public int getWorkers() {
            return workers;
        }

        /** @param workers the worker count */
        public void setWorkers(int workers) {
            this.workers = workers;
        }

        /** @return the batch size */
        public int getBatchSize() {
            return batchSize;
        }

        /** @param batchSize the batch size */
        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        /** @return the poll interval */
        public Duration getPollInterval() {
            return pollInterval;
        }

        /** @param pollInterval the poll interval */
        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        /** @return the longest time between two full claims while a backlog drains */
        public Duration getFullClaimInterval() {
            return fullClaimInterval;
        }

        /** @param fullClaimInterval the longest time between two full claims while a backlog drains */
        public void setFullClaimInterval(Duration fullClaimInterval) {
            this.fullClaimInterval = fullClaimInterval;
        }

        /** @return the lease duration */
        public Duration getLeaseDuration() {
            return leaseDuration;
        }

        /** @param leaseDuration the lease duration */
        public void setLeaseDuration(Duration leaseDuration) {
            this.leaseDuration = leaseDuration;
        }

        /** @return the attempts before dead-lettering */
        public int getMaxAttempts() {
            return maxAttempts;
        }

        /** @param maxAttempts the attempts before dead-lettering */
        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        /** @return the first retry wait */
        public Duration getBackoffInitial() {
            return backoffInitial;
        }

        /** @param backoffInitial the first retry wait */
        public void setBackoffInitial(Duration backoffInitial) {
            this.backoffInitial = backoffInitial;
        }

        /** @return the longest retry wait */
        public Duration getBackoffMax() {
            return backoffMax;
        }

        /** @param backoffMax the longest retry wait */
        public void setBackoffMax(Duration backoffMax) {
            this.backoffMax = backoffMax;
        }

        /** @return the acknowledgement mode */
        public org.projectbeacon.outbox.AckMode getAckMode() {
            return ackMode;
        }

        /** @param ackMode the acknowledgement mode */
        public void setAckMode(org.projectbeacon.outbox.AckMode ackMode) {
            this.ackMode = ackMode;
        }

        /** @return the stop timeout */
        public Duration getStopTimeout() {
            return stopTimeout;
        }

        /** @param stopTimeout the stop timeout */
        public void setStopTimeout(Duration stopTimeout) {
            this.stopTimeout = stopTimeout;
        }
    }

    /** {@code beacon.sink.*}. */
    public static class Sink {
        /** Redis URI of the stream sink, such as redis://127.0.0.1:6379; unset sends to an in-process stream. */
        private String redisUri;
        /** Prefix of the Redis stream and de-duplication keys. */
        private String keyPrefix = org.projectbeacon.outbox.redis.RedisSinkConfig.DEFAULT_KEY_PREFIX;
        /** How long a published message id is remembered for de-duplication. */
        private Duration dedupTtl = org.projectbeacon.outbox.redis.RedisSinkConfig.DEFAULT_DEDUP_TTL;
        /** Approximate stream length cap (MAXLEN ~); 0 keeps every entry. */
        private long maxLen = org.projectbeacon.outbox.redis.RedisSinkConfig.DEFAULT_MAX_LEN;

        /** @return the Redis URI, or {@code null} */
        public String getRedisUri() {
            return redisUri;
        }

        /** @param redisUri the Redis URI */
        public void setRedisUri(String redisUri) {
            this.redisUri = redisUri;
        }

        /** @return the key prefix */
        public String getKeyPrefix() {
            return keyPrefix;
        }

        /** @param keyPrefix the key prefix */
        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        /** @return the de-duplication TTL */
        public Duration getDedupTtl() {
            return dedupTtl;
        }

        /** @param dedupTtl the de-duplication TTL */
        public void setDedupTtl(Duration dedupTtl) {
            this.dedupTtl = dedupTtl;
        }

        /** @return the stream length cap */
        public long getMaxLen() {
            return maxLen;
        }

        /** @param maxLen the stream length cap */
        public void setMaxLen(long maxLen) {
            this.maxLen = maxLen;
        }

        @Override
        public String toString() {
            // The URI may carry a password: never printed.
            return "Sink{redisUri=" + (redisUri == null ? "unset" : "<set>") + ", keyPrefix=" + keyPrefix + "}";
        }
    }

    /** {@code beacon.consumer.*}. */
    public static class Consumer {
        /** The stream read (as the sink names it, without the key prefix). */
        private String stream;
        /** The consumer group. */
        private String group;
        /** This consumer's name in the group; unset uses the host name and process id. */
        private String name;
        /** Deliveries before an entry is dead-lettered. */
        private int maxDeliveries = org.projectbeacon.outbox.redis.StreamConsumer.DEFAULT_MAX_DELIVERIES;
        /** Idle time after which another consumer's pending entry is claimed. */
        private Duration claimIdle = org.projectbeacon.outbox.redis.StreamConsumer.DEFAULT_CLAIM_IDLE;
        /** How long a stopping consumer lets handlers in hand finish. */
        private Duration stopGrace = org.projectbeacon.outbox.redis.StreamConsumer.DEFAULT_STOP_GRACE;

        /** @return the stream */
        public String getStream() {
            return stream;
        }

        /** @param stream the stream */
        public void setStream(String stream) {
            this.stream = stream;
        }

        /** @return the group */
        public String getGroup() {
            return group;
        }

        /** @param group the group */
        public void setGroup(String group) {
            this.group = group;
        }

        /** @return the consumer name, or {@code null} */
        public String getName() {
            return name;
        }

        /** @param name the consumer name */
        public void setName(String name) {
            this.name = name;
        }

        /** @return the deliveries before dead-lettering */
        public int getMaxDeliveries() {
            return maxDeliveries;
        }

        /** @param maxDeliveries the deliveries before dead-lettering */
        public void setMaxDeliveries(int maxDeliveries) {
            this.maxDeliveries = maxDeliveries;
        }

        /** @return the claim idle time */
        public Duration getClaimIdle() {
            return claimIdle;
        }

        /** @param claimIdle the claim idle time */
        public void setClaimIdle(Duration claimIdle) {
            this.claimIdle = claimIdle;
        }

        /** @return the stop grace */
        public Duration getStopGrace() {
            return stopGrace;
        }

        /** @param stopGrace the stop grace */
        public void setStopGrace(Duration stopGrace) {
            this.stopGrace = stopGrace;
        }
    }
}
