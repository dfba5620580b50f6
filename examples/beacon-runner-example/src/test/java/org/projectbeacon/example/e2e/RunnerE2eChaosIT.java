package org.projectbeacon.example.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.projectbeacon.resilience.DaemonThreads;
import org.projectbeacon.resilience.ReliabilityRecord;

/**
 * "No accepted job is ever lost", end to end: the example runner in JVMs of its own on PostgreSQL
 * and a Redis of the test's own, driven only through its HTTP API by a client posting jobs at a
 * rate, while a fault hits (SIGKILL and SIGTERM mid-job, Redis restarted empty, Redis losing unread
 * entries, the runner's PostgreSQL backends terminated, one of two runners killed). Every job
 * accepted with 202 must end COMPLETED or FAILED, none may run twice, and no client may get a 500.
 * Each scenario writes a row for {@code docs/RELIABILITY.md} and points its failure at the runners'
 * logs under {@code target/e2e/}.
 */
class RunnerE2eChaosIT {

    /** How long after its last fault a scenario waits for every accepted job to finish. */
    static final Duration DEADLINE = Duration.ofSeconds(60);
    /** A drill fault that makes every job slow, so that a fault can land in the middle of one. */
    static final String SLOW_JOBS = "{\"target\":\"ipfs\",\"latency_ms\":%d}";
    /** How long a scenario waits to see a job RUNNING before it strikes anyway. */
    static final Duration MID_JOB_WAIT = Duration.ofSeconds(15);
    /** Bounds each load's posting time, so a hung runner cannot hang the suite. */
    static final Duration POSTING_LIMIT = Duration.ofSeconds(120);

    private final E2eHttp http = new E2eHttp();
    private final JobAudit audit = new JobAudit(http);
    private E2eEnvironment env;
    private JobLoad load;

    @AfterEach
    void tearDown() throws Exception {
        if (load != null) {
            load.close();
        }
        if (env != null) {
            env.close();
        }
    }

    @Test
    void baseline() throws Exception {
        RunnerProcess runner = oneRunner("baseline", 0);
        Instant started = Instant.now();
        load = new JobLoad(http, runner.port()).start(300, 30);
        finish("e2e-baseline", "e2e: 300 jobs through the HTTP API, no fault", runner, started, "", false);
    }

    @Test
    void runnerSigkilledEightTimesMidJob() throws Exception {
        RunnerProcess runner = oneRunner("sigkill", 100);
        Instant started = Instant.now();
        load = new JobLoad(http, runner.port()).start(240, 6);
        Strikes strikes = strikeMidJob(runner, 8, 100, r -> {
            r.kill();
            return true;
        });
        finish("e2e-sigkill", "e2e: runner SIGKILLed 8 times mid-job, restarted each time", runner, started,
                "8 SIGKILLs, " + strikes.midJob() + " with a job RUNNING, jobs slowed to 100 ms", false);
    }

    @Test
    void runnerSigtermedMidJobWithOneSecondJobs() throws Exception {
        RunnerProcess runner = oneRunner("sigterm", 1000);
        Instant started = Instant.now();
        load = new JobLoad(http, runner.port()).start(80, 4);
        Strikes strikes = strikeMidJob(runner, 3, 1000, RunnerProcess::terminate);
        finish("e2e-sigterm", "e2e: runner SIGTERMed 3 times mid-job (1 s jobs), restarted each time", runner,
                started, "3 SIGTERMs, " + strikes.midJob() + " with a job RUNNING, " + strikes.missed()
                        + " not stopped within " + RunnerProcess.STOP_TIMEOUT.toSeconds() + " s", false);
        assertThat(strikes.missed()).as("SIGTERMs the runner did not stop within %s; logs %s", RunnerProcess.STOP_TIMEOUT,
                env.logs()).isZero();
    }

    @Test
    void redisRestartedEmptyWhilePosting() throws Exception {
        // Jobs of 200 ms against 10 posts a second keep unread entries in the stream for the restart to lose.
        RunnerProcess runner = oneRunner("redis_empty", 200);
        Instant started = Instant.now();
        load = new JobLoad(http, runner.port()).start(200, 10);
        for (int threshold : new int[] {50, 120}) {
            awaitAccepted(threshold);
            // No persistence: the restarted server has no stream, no consumer group, no pending entries.
            env.redis().stop();
            env.redis().startAgain();
        }
        http.fault(runner.port(), SLOW_JOBS.formatted(0)); // the faults are over: drain at full speed
        finish("e2e-redis-empty", "e2e: Redis restarted empty twice while posting", runner, started,
                "2 restarts of the test's redis-server without persistence, jobs slowed to 200 ms meanwhile", false);
    }

    @Test
    void redisLosesUnreadEntriesWhilePosting() throws Exception {
        // Jobs of 200 ms against 10 posts a second keep unread entries in the stream to lose.
        RunnerProcess runner = oneRunner("redis_trim", 200);
        Instant started = Instant.now();
        load = new JobLoad(http, runner.port()).start(150, 10);
        long removed = 0;
        RedisClient client = RedisClient.create(env.redis().uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            for (int k = 1; k <= 4; k++) {
                awaitAccepted(30 * k);
                long before = redis.xlen(E2eEnvironment.STREAM);
                if (k % 2 == 1) {
                    redis.xtrim(E2eEnvironment.STREAM, 0); // XTRIM runner:jobs MAXLEN 0
                } else {
                    redis.del(E2eEnvironment.STREAM);
                }
                removed += before;
            }
        } finally {
            client.shutdown();
        }
        http.fault(runner.port(), SLOW_JOBS.formatted(0)); // the faults are over: drain at full speed
        finish("e2e-redis-trim", "e2e: Redis stream trimmed (XTRIM MAXLEN 0, DEL) 4 times while posting", runner,
                started, removed + " unread or pending stream entries removed, jobs slowed to 200 ms meanwhile", false);
    }

    @Test
    void postgresBackendsOfTheRunnerTerminatedForTwentySeconds() throws Exception {
        RunnerProcess runner = oneRunner("pg_terminate", 0);
        Instant started = Instant.now();
        load = new JobLoad(http, runner.port()).start(250, 10);
        awaitAccepted(20);
        AtomicInteger terminated = new AtomicInteger();
        AtomicReference<Exception> terminatorError = new AtomicReference<>();
        ScheduledExecutorService terminator = Executors.newSingleThreadScheduledExecutor(new DaemonThreads("e2e-pg-kill"));
        CountDownLatch rounds = new CountDownLatch(100); // every 200 ms for 20 s
        try (Connection admin = env.connect();
                PreparedStatement kill = admin.prepareStatement("SELECT COUNT(pg_terminate_backend(pid))"
                        + " FROM pg_stat_activity WHERE application_name = ? AND pid <> pg_backend_pid()")) {
            kill.setString(1, env.applicationName());
            terminator.scheduleAtFixedRate(() -> {
                try (ResultSet rs = kill.executeQuery()) {
                    rs.next();
                    terminated.addAndGet(rs.getInt(1));
                } catch (Exception e) {
                    terminatorError.compareAndSet(null, e);
                }
                rounds.countDown();
            }, 0, 200, TimeUnit.MILLISECONDS);
            assertThat(rounds.await(60, TimeUnit.SECONDS)).as("100 rounds of pg_terminate_backend").isTrue();
        } finally {
            terminator.shutdownNow();
            terminator.awaitTermination(10, TimeUnit.SECONDS);
        }
        assertThat(terminatorError.get()).as("the terminator's own errors").isNull();
        finish("e2e-pg-terminate", "e2e: the runner's PostgreSQL backends terminated every 200 ms for 20 s",
                runner, started, terminated.get() + " backends terminated", true);
    }

    @Test
    void twoRunnersOnOneDatabaseAndRedisOneSigkilledMidJob() throws Exception {
        env = E2eEnvironment.create("two_runners", http);
        RunnerProcess a = env.startRunner("a");
        RunnerProcess b = env.startRunner("b");
        // Only a's jobs are slow, so the job seen RUNNING is almost surely a's when a is killed.
        http.fault(a.port(), SLOW_JOBS.formatted(300));
        Instant started = Instant.now();
        load = new JobLoad(http, a.port(), b.port()).start(120, 6);
        awaitAccepted(30);
        boolean midJob = audit.awaitRunning(b.port(), load, Set.of(), MID_JOB_WAIT).isPresent();
        a.kill();
        // A client of a dead runner goes to the live one.
        load.targets(b.port());
        finish("e2e-two-runners", "e2e: two runners on one DB and Redis, one SIGKILLed mid-job for good", b,
                started, "1 SIGKILL " + (midJob ? "with" : "without") + " a job RUNNING, a's jobs slowed to 300 ms",
                false);
    }

    @Test
    void threeRunnersOnARedisClusterAnyOneSigkilled() throws Exception {
        env = E2eEnvironment.onCluster("cluster_three", http);
        RunnerProcess a = env.startRunner("a");
        RunnerProcess b = env.startRunner("b");
        RunnerProcess c = env.startRunner("c");
        http.fault(b.port(), SLOW_JOBS.formatted(300));
        Instant started = Instant.now();
        load = new JobLoad(http, a.port(), b.port(), c.port()).start(150, 9);
        awaitAccepted(40);
        boolean midJob = audit.awaitRunning(a.port(), load, Set.of(), MID_JOB_WAIT).isPresent();
        b.kill();
        load.targets(a.port(), c.port());
        finish("e2e-cluster-three-runners", "e2e: three runners on one PostgreSQL and a Redis Cluster, one SIGKILLed",
                a, started, "1 SIGKILL " + (midJob ? "with" : "without") + " a job RUNNING, b's jobs slowed to 300 ms; "
                        + "Redis Cluster of 3 masters + 3 replicas", false);
    }

    @Test
    void badInputIsRefusedWith400AndNothingIsStored() throws Exception {
        RunnerProcess runner = oneRunner("bad_input", 0);
        Instant started = Instant.now();
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("not UTF-8", concat("{\"type\":\"render\",\"payload\":{\"n\":\"", new byte[] {(byte) 0xC3, 0x28},
                "\"}}"));
        bodies.put("a lone surrogate", concat("{\"type\":\"render\",\"payload\":{\"n\":\"", new byte[] {(byte) 0xED,
                (byte) 0xA0, (byte) 0x80}, "\"}}"));
        bodies.put("truncated JSON", bytes("{\"type\":\"render\",\"payload\":{\"n\":1}"));
        bodies.put("trailing content", bytes("{\"type\":\"render\",\"payload\":{\"n\":1}} {\"type\":\"render\"}"));
        bodies.put("unknown field", bytes("{\"type\":\"render\",\"payload\":{\"n\":1},\"priority\":9}"));
        bodies.put("not an object", bytes("[{\"type\":\"render\",\"payload\":{\"n\":1}}]"));
        bodies.put("payload not an object", bytes("{\"type\":\"render\",\"payload\":\"n=1\"}"));
        bodies.put("bad type", bytes("{\"type\":\"Render Now\",\"payload\":{\"n\":1}}"));
        bodies.put("unknown region", bytes("{\"type\":\"render\",\"payload\":{\"n\":1},\"region\":\"mars\"}"));
        bodies.put("empty", new byte[0]);
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, byte[]> body : bodies.entrySet()) {
            var response = http.post(runner.port(), "/api/v1/jobs", body.getValue(), false);
            if (response.statusCode() != 400) {
                wrong.add(body.getKey() + " -> " + response.statusCode() + " " + response.body());
            }
        }
        long stored = env.rows("runner_jobs") + env.rows("runner_outbox");
        // "lost" counts what went wrong here: bodies not refused with 400, and rows stored from them.
        ReliabilityRecord.of("e2e-bad-input", "e2e: bad job bodies (not UTF-8, bad JSON, unknown fields) refused",
                bodies.size(), -1, wrong.size() + stored, -1, started,
                wrong.size() + " not answered 400, " + stored + " job/outbox rows stored").write();
        assertThat(wrong).as("bad bodies not answered 400; log %s", env.logs()).isEmpty();
        assertThat(stored).as("job and outbox rows stored from bad bodies").isZero();
    }

    /**
     * Waits until the load posted everything, then until every accepted job finished or
     * {@link #DEADLINE} passed (reading through the runner on {@code port}), writes the scenario's
     * row and asserts that no job was lost, none ran twice and no post got a 500; with
     * {@code only503} also that every 5xx was a 503 with {@code Retry-After}.
     */
    private void finish(String id, String scenario, RunnerProcess reader, Instant started, String notes,
            boolean only503) throws Exception {
        assertThat(load.awaitPosted(POSTING_LIMIT)).as("posted in time").isTrue();
        JobAudit.Verdict v = audit.settle(load, reader::port, DEADLINE);
        JobAudit.record(id, scenario, v, started, notes + (notes.isEmpty() ? "" : "; ") + "runner at the end: "
                + reader.state());
        JobAudit.assertHeld(v, only503, env.logs());
    }

    /** A fresh environment for scenario {@code name} with one runner; its jobs take {@code slowMs} when above 0. */
    private RunnerProcess oneRunner(String name, int slowMs) throws Exception {
        env = E2eEnvironment.create(name, http);
        RunnerProcess runner = env.startRunner("a");
        if (slowMs > 0) {
            http.fault(runner.port(), SLOW_JOBS.formatted(slowMs));
        }
        return runner;
    }

    /** What a scenario does to a runner; false when it did not go as planned (a SIGTERM that hung). */
    interface Strike {
        boolean hit(RunnerProcess runner) throws Exception;
    }

    /** How many strikes landed while a job was RUNNING, and how many did not go as planned. */
    record Strikes(int midJob, int missed) {}

    /**
     * Strikes {@code runner} {@code times} times, each while a job is RUNNING when one shows within
     * {@link #MID_JOB_WAIT}, and starts it again (same port, DB and Redis) after each; jobs take
     * {@code slowMs} until the last restart, then run at full speed so the backlog drains.
     */
    private Strikes strikeMidJob(RunnerProcess runner, int times, int slowMs, Strike strike) throws Exception {
        Set<String> victims = new HashSet<>();
        int midJob = 0;
        int missed = 0;
        for (int k = 0; k < times; k++) {
            var running = audit.awaitRunning(runner.port(), load, victims, MID_JOB_WAIT);
            running.ifPresent(victims::add);
            midJob += running.isPresent() ? 1 : 0;
            missed += strike.hit(runner) ? 0 : 1;
            runner.start();
            if (k < times - 1) {
                http.fault(runner.port(), SLOW_JOBS.formatted(slowMs));
            }
        }
        return new Strikes(midJob, missed);
    }

    private void awaitAccepted(int n) {
        await("%d jobs accepted".formatted(n)).atMost(POSTING_LIMIT).pollInterval(Duration.ofMillis(100))
                .until(() -> load.accepted().size() >= n);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(String head, byte[] middle, String tail) {
        byte[] h = bytes(head);
        byte[] t = bytes(tail);
        byte[] all = new byte[h.length + middle.length + t.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(middle, 0, all, h.length, middle.length);
        System.arraycopy(t, 0, all, h.length + middle.length, t.length);
        return all;
    }
}
