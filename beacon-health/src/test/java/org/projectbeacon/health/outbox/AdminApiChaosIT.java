package org.projectbeacon.health.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectbeacon.health.http.BeaconEndpoints;
import org.projectbeacon.health.http.BeaconHttpServer;
import org.projectbeacon.outbox.DeadLetterFilter;
import org.projectbeacon.outbox.DeadLetterQueue;
import org.projectbeacon.outbox.InProcessSink;
import org.projectbeacon.outbox.Outbox;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.OutboxPublisher;
import org.projectbeacon.outbox.OutboxRecord;
import org.projectbeacon.outbox.spi.OutboxDialect;
import org.projectbeacon.resilience.GuardConfig;
import org.projectbeacon.resilience.GuardRegistry;
import org.projectbeacon.resilience.ReliabilityRecord;

/**
 * Ten thousand hostile requests at the admin API of a real {@link BeaconHttpServer}, written byte by
 * byte on raw sockets so that truly malformed HTTP gets through: no or wrong credentials, tokens in
 * the query string, malformed and oversized bodies with the right token, bad parameters, broken
 * request lines, headers and lengths. None may be accepted (a breaker forced open stays open, the
 * dead letter queue keeps its letters), no response may carry a stack trace, the token or a 5xx,
 * and the server must still serve afterwards. The seed is printed; {@code -Dbeacon.chaos.seed=N}
 * replays a run.
 */
class AdminApiChaosIT {

    static final int REQUESTS = 10_000;
    static final String TOKEN = "chaos-admin-token-7f3a9c1e5b";
    static final Pattern STACK_TRACE = Pattern.compile(
            "(\\tat |\\bat [\\w$.]+\\([\\w$]+\\.java:\\d+\\)|Caused by:|\\.java:\\d+|Exception\\n)");

    GuardRegistry guards;
    OutboxPublisher publisher;
    BeaconHttpServer server;
    DeadLetterQueue dlq;

    @BeforeEach
    void setUp() throws Exception {
        guards = GuardRegistry.ofDefaults();
        guards.guard("golem", GuardConfig.ofDefaults());
        guards.admin().forceOpen("golem", Duration.ofHours(1), "chaos-test");
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:admin_chaos_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        OutboxConfig config = OutboxConfig.builder().dialect(OutboxDialect.h2()).build();
        Outbox.create(config).migrate(ds);
        InProcessSink sink = new InProcessSink();
        dlq = DeadLetterQueue.create(ds, config, sink);
        for (int i = 0; i < 3; i++) {
            dlq.add(new OutboxRecord(UUID.randomUUID(), "jobs", null, ("job-" + i).getBytes(StandardCharsets.UTF_8),
                    "text/plain", Map.of(), Instant.now(), 10), 10, new IllegalStateException("provider timeout"));
        }
        publisher = OutboxPublisher.builder(ds, config, sink).build();
        publisher.start();
        BeaconEndpoints endpoints = BeaconEndpoints.builder()
                .breakerAdmin(guards.admin())
                .adminToken(TOKEN)
                .routes(OutboxRoutes.of(dlq, publisher))
                .build();
        server = BeaconHttpServer.builder(endpoints).port(0).build().start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (guards != null) {
            guards.close();
        }
    }

    @Test
    void tenThousandHostileRequestsAreAllRejectedWithoutLeaksAndTheServerKeepsServing() throws Exception {
        long seed = Long.getLong("beacon.chaos.seed", System.nanoTime());
        System.out.println("AdminApiChaosIT seed " + seed + " (replay with -Dbeacon.chaos.seed=" + seed + ")");
        Random random = new Random(seed);
        Instant started = Instant.now();
        Map<String, int[]> byCategory = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        long accepted = 0;
        long leaks = 0;
        long serverErrors = 0;
        long noResponse = 0;
        for (int i = 0; i < REQUESTS; i++) {
            Hostile h = hostile(random);
            Answer a = send(h.bytes);
            int[] c = byCategory.computeIfAbsent(h.category, k -> new int[1]);
            c[0]++;
            if (a.status < 0) {
                noResponse++;
                continue;
            }
            if (a.status >= 200 && a.status < 300) {
                accepted++;
                failures.add(h.category + " accepted: " + describe(h) + " → " + abbreviate(a.text));
            } else if (a.status >= 500) {
                serverErrors++;
                failures.add(h.category + " answered " + a.status + ": " + describe(h) + " → " + abbreviate(a.text));
            }
            if (STACK_TRACE.matcher(a.text).find() || a.text.contains(TOKEN)
                    || (h.credential != null && h.credential.length() > 8 && a.text.contains(h.credential))) {
                leaks++;
                failures.add(h.category + " leaked: " + describe(h) + " → " + abbreviate(a.text));
            }
        }

        StringBuilder categories = new StringBuilder();
        byCategory.forEach((k, v) -> categories.append(categories.length() == 0 ? "" : ", ").append(k).append(' ').append(v[0]));
        ReliabilityRecord.of("admin-api-fuzz", "admin API: malformed, oversized and unauthenticated requests",
                REQUESTS, -1, accepted + leaks + serverErrors, -1, started,
                "accepted " + accepted + ", stack traces or secrets " + leaks + ", 5xx " + serverErrors
                        + ", closed without answer " + noResponse + "; " + categories + "; seed " + seed).write();
        assertThat(failures).as("accepted, 5xx or leaking responses").isEmpty();

        // Still serving, still guarded, nothing changed.
        Answer live = send(request("GET", "/api/v1/admin/circuit-breakers", "Bearer " + TOKEN, null));
        assertThat(live.status).as(live.text).isEqualTo(200);
        assertThat(live.text).contains("\"golem\"");
        assertThat(guards.find("golem").orElseThrow().circuitBreaker().getState().name()).isEqualTo("FORCED_OPEN");
        assertThat(dlq.count(DeadLetterFilter.all())).isEqualTo(3);
        assertThat(publisher.status().running()).isTrue();
    }

    // ---- the hostile requests ----

    record Hostile(String category, byte[] bytes, String credential) {}

    static final String[] ADMIN_ROUTES = {
        "POST /api/v1/admin/circuit-breakers/reset",
        "POST /api/v1/admin/circuit-breakers/golem/reset",
        "POST /api/v1/admin/circuit-breakers/golem/close",
        "POST /api/v1/admin/circuit-breakers/golem/disable",
        "POST /api/v1/admin/circuit-breakers/golem/metrics-only",
        "POST /api/v1/admin/circuit-breakers/golem/force-open?duration=PT5M",
        "GET /api/v1/admin/circuit-breakers",
        "GET /api/v1/admin/dlq",
        "GET /api/v1/admin/dlq/patterns",
        "POST /api/v1/admin/dlq/requeue",
        "POST /api/v1/admin/dlq/purge",
        "POST /api/v1/admin/outbox/" + UUID.randomUUID() + "/republish",
        "GET /api/v1/admin/outbox/publisher",
        "POST /api/v1/admin/outbox/publisher/restart",
    };

    static Hostile hostile(Random r) {
        String[] route = ADMIN_ROUTES[r.nextInt(ADMIN_ROUTES.length)].split(" ");
        String validBody = route[1].endsWith("/requeue") ? "{\"filter\":{}}"
                : route[1].endsWith("/purge") ? "{\"filter\":{\"stream\":\"jobs\"}}" : null;
        switch (r.nextInt(9)) {
            case 0 -> {
                return new Hostile("no credentials", request(route[0], route[1], null, validBody), null);
            }
            case 1 -> {
                String credential = wrongCredential(r);
                return new Hostile("wrong credentials", request(route[0], route[1], credential, validBody), credential);
            }
            case 2 -> {
                String name = new String[] {"token", "access_token", "auth", "Authorization"}[r.nextInt(4)];
                String path = route[1] + (route[1].contains("?") ? "&" : "?") + name + "=" + TOKEN;
                return new Hostile("token in query", request(route[0], path, null, validBody), TOKEN);
            }
            case 3 -> {
                String[] bodyRoute = new String[] {"/api/v1/admin/dlq/requeue", "/api/v1/admin/dlq/purge"}[r.nextInt(2)].split(" ");
                return new Hostile("malformed JSON, valid token",
                        request("POST", bodyRoute[0], "Bearer " + TOKEN, malformedJson(r)), null);
            }
            case 4 -> {
                String credential = r.nextBoolean() ? "Bearer " + TOKEN : null;
                String big = "{\"ids\":[\"" + "x".repeat(BeaconEndpoints.DEFAULT_MAX_BODY_BYTES + 1 + r.nextInt(100_000)) + "\"]}";
                return new Hostile("oversized body", request("POST", "/api/v1/admin/dlq/requeue", credential, big), null);
            }
            case 5 -> {
                return new Hostile("bad parameters, valid token",
                        request(r.nextBoolean() ? "POST" : "GET", badParameters(r), "Bearer " + TOKEN, null), null);
            }
            case 6 -> {
                return new Hostile("wrong method", request(
                        new String[] {"PUT", "DELETE", "PATCH", "TRACE", "OPTIONS", "FOO", "G E T"}[r.nextInt(7)],
                        route[1], r.nextBoolean() ? "Bearer " + TOKEN : null, validBody), null);
            }
            case 7 -> {
                return new Hostile("broken HTTP framing", brokenHttp(r, route), null);
            }
            default -> {
                return new Hostile("random bytes", randomBytes(r), null);
            }
        }
    }

    static String wrongCredential(Random r) {
        return switch (r.nextInt(9)) {
            case 0 -> "Bearer";
            case 1 -> "Bearer ";
            case 2 -> "Bearer " + TOKEN.substring(0, TOKEN.length() - 1);
            case 3 -> "Bearer " + TOKEN + "x";
            case 4 -> "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + TOKEN).getBytes(StandardCharsets.UTF_8));
            case 5 -> TOKEN;
            case 6 -> "Bearer " + TOKEN.toUpperCase(java.util.Locale.ROOT);
            // A NUL inside the token; a trailing one is no test, the JDK server trims it off the header.
            case 7 -> "Bearer " + TOKEN.substring(0, 10) + "\u0000" + TOKEN.substring(10);
            default -> "Bearer " + "A".repeat(1 + r.nextInt(4_000));
        };
    }

    static String malformedJson(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> "{";
            case 1 -> "{\"ids\":";
            case 2 -> "[" .repeat(5_000 + r.nextInt(50_000));
            case 3 -> "{\"ids\":[\"not-a-uuid\"]}";
            case 4 -> "{\"ids\":\"" + UUID.randomUUID() + "\"}";
            case 5 -> "{\"filter\":{\"from\":\"yesterday\"}}";
            case 6 -> "{\"filter\":{}, \"ids\":[]}";
            case 7 -> "{\"unknown\":1}";
            case 8 -> "{\"filter\":{\"stream\":" + "9".repeat(1_000) + "}}";
            case 9 -> "{\"filter\":{\"stream\":\"\\ud800\"}}";
            case 10 -> "null";
            default -> new String(randomBytes(r), StandardCharsets.ISO_8859_1);
        };
    }

    static String badParameters(Random r) {
        return switch (r.nextInt(10)) {
            case 0 -> "/api/v1/admin/circuit-breakers/golem/force-open?duration=forever";
            case 1 -> "/api/v1/admin/circuit-breakers/golem/force-open?duration=-PT5M";
            case 2 -> "/api/v1/admin/circuit-breakers/golem/force-open?duration=P99999999999D";
            case 3 -> "/api/v1/admin/circuit-breakers/no-such-breaker/close";
            case 4 -> "/api/v1/admin/circuit-breakers/..%2F..%2Fhealth/close";
            case 5 -> "/api/v1/admin/dlq?page=-1&size=1000000000";
            case 6 -> "/api/v1/admin/dlq?from=not-a-time&stream=" + "s".repeat(5_000);
            case 7 -> "/api/v1/admin/dlq?unknown=1";
            case 8 -> "/api/v1/admin/outbox/not-a-uuid/republish";
            default -> "/api/v1/admin/circuit-breakers/%ff%fe%00/close";
        };
    }

    static byte[] brokenHttp(Random r, String[] route) {
        String head = switch (r.nextInt(10)) {
            case 0 -> route[0] + " " + route[1] + "\r\n\r\n"; // no version
            case 1 -> route[0] + " " + route[1] + " HTTP/1.1\r\nHost 127.0.0.1\r\nAuthorization Bearer " + TOKEN + "\r\n\r\n";
            case 2 -> route[0] + " " + route[1] + " HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}";
            case 3 -> route[0] + " " + route[1] + " HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n{}";
            case 4 -> route[0] + " " + route[1] + " HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"filter\"";
            case 5 -> route[0] + " " + route[1] + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n";
            case 6 -> route[0] + " " + route[1] + " HTTP/1.1\r\nHost: x\r\nX-Big: " + "h".repeat(100_000 + r.nextInt(100_000)) + "\r\n\r\n";
            case 7 -> route[0] + " " + route[1] + " HTTP/9.9\r\nHost: x\r\n\r\n";
            case 8 -> route[0] + " " + route[1] + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\n{}";
            default -> route[0] + "\t" + route[1] + "\u0000 HTTP/1.1\r\n\r\n";
        };
        return head.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] randomBytes(Random r) {
        byte[] b = new byte[1 + r.nextInt(2_048)];
        r.nextBytes(b);
        return b;
    }

    static byte[] request(String method, String path, String authorization, String body) {
        StringBuilder s = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        if (authorization != null) {
            s.append("Authorization: ").append(authorization).append("\r\n");
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            s.append("Content-Type: application/json\r\nContent-Length: ").append(bytes.length).append("\r\n");
        }
        s.append("Connection: close\r\n\r\n");
        byte[] head = s.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + bytes.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bytes, 0, all, head.length, bytes.length);
        return all;
    }

    // ---- the wire ----

    record Answer(int status, String text) {}

    Answer send(byte[] bytes) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(bytes);
                out.flush();
                socket.shutdownOutput();
            } catch (IOException e) {
                // The server may close on an oversized or broken request before reading it all.
            }
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8_192];
            try {
                for (int n; (n = in.read(buffer)) > 0 && response.size() < 1_000_000; ) {
                    response.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // A reset after a partial answer still leaves what was read.
            }
            String text = response.toString(StandardCharsets.ISO_8859_1);
            if (!text.startsWith("HTTP/1.1 ") || text.length() < 12) {
                return new Answer(-1, text);
            }
            return new Answer(Integer.parseInt(text.substring(9, 12)), text);
        }
    }

    /** The request as printable text, for a failure message. */
    static String describe(Hostile h) {
        StringBuilder sb = new StringBuilder();
        for (byte b : h.bytes) {
            int c = b & 0xff;
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : c == '\n' ? "\\n" : c == '\r' ? "" : String.format("\\x%02x", c));
        }
        return abbreviate(sb.toString());
    }

    static String abbreviate(String s) {
        String one = s.replace("\r\n", " | ");
        return one.length() > 300 ? one.substring(0, 300) + "…" : one;
    }
}
