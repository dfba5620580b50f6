package org.projectbeacon.health.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.projectbeacon.resilience.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@link BeaconEndpoints} on the JDK's built-in {@link HttpServer}, so a runner without a
 * web framework gets every endpoint in a few lines:
 *
 * <pre>{@code
 * BeaconHttpServer server = BeaconHttpServer.builder(endpoints).port(8080).build().start();
 * }</pre>
 *
 * <p><b>Two planes.</b> The ops plane (health under {@code /health/}, {@code /metrics} and every
 * {@linkplain Route#admin admin route}) runs on an executor of its own, {@value #DEFAULT_OPS_THREADS}
 * threads with a queue of {@value #OPS_QUEUE_CAPACITY}, so a probe, a scrape or the operator's fix
 * is never queued behind slow application routes (the target: answered within 100 ms while the
 * application routes are saturated). Every other request is on the application plane:
 * {@value #DEFAULT_THREADS} threads and a bounded queue ({@value #DEFAULT_QUEUE_CAPACITY} by
 * default); a request that finds the queue full is answered at once {@code 503} with
 * {@code Retry-After} and a JSON body, and counted in {@code http_request_duration_seconds}. The
 * JDK server parses each request head on {@value #IO_THREADS} threads that only pick the plane and
 * hand over, so they are never held by a handler.
 *
 * <p>Bodies are read up to the endpoints' limit; a larger one is answered 413 without reading the
 * rest. Every answer this class makes itself is JSON {@code {"error": ...}} without exception names.
 * Requests the JDK server rejects before any handler runs (a broken request line, a non-numeric
 * {@code Content-Length}) still get the JDK's own short HTML page. {@code HEAD} is answered for
 * every {@code GET} route (see {@link BeaconEndpoints}).
 *
 * <p>Thread-safe; {@link #close()} stops the server and the executors it created itself.
 */
public final class BeaconHttpServer implements AutoCloseable {

    /** Default {@value}: loopback only; bind {@code 0.0.0.0} deliberately to serve other hosts. */
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    /** Default {@value}. */
    public static final int DEFAULT_PORT = 8080;
    /** Default {@value}: worker threads of the application plane. */
    public static final int DEFAULT_THREADS = 8;
    /** Default {@value}: application requests waiting for a worker before further ones get 503. */
    public static final int DEFAULT_QUEUE_CAPACITY = 64;
    /** Default {@value}: worker threads of the ops plane (health, metrics, admin). */
    public static final int DEFAULT_OPS_THREADS = 2;
    /**
     * {@value}: ops requests waiting for an ops worker before further ones get 503. Each takes
     * microseconds to milliseconds (the health report and the scrape are rendered from memory), so
     * a deep queue drains fast and load tests of the probes with many connections are not refused.
     */
    public static final int OPS_QUEUE_CAPACITY = 256;
    /** {@value}: threads parsing request heads and handing each request to its plane. */
    public static final int IO_THREADS = 2;
    /** {@value} s: the {@code Retry-After} of a request refused because its plane's queue is full. */
    public static final int BUSY_RETRY_AFTER_SECONDS = 1;

    private static final Logger LOG = LoggerFactory.getLogger(BeaconHttpServer.class);
    private static final byte[] NO_BODY = new byte[0];

    static {
        // The JDK server writes headers and body in separate segments; with Nagle's algorithm on, the
        // body then waits for the client's delayed ACK, about 40 ms per keep-alive request (1.1k
        // requests/s under wrk instead of 6.5k, docs/BENCHMARKS.md). The JDK reads this property once,
        // when its first server is made; an application's own setting is left alone.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final BeaconEndpoints endpoints;
    private final HttpServer server;
    /** The server of the ops port, or null when the ops plane shares the main port. */
    private final HttpServer opsServer;
    private final ExecutorService io;
    private final ExecutorService opsIo;
    private final ExecutorService ops;
    private final ExecutorService app;
    private final boolean ownsApp;

    private BeaconHttpServer(Builder builder) throws IOException {
        this.endpoints = builder.endpoints;
        this.io = Executors.newFixedThreadPool(IO_THREADS, new DaemonThreads("beacon-http-io"));
        // The ops port parses its own request heads, so a flood of the main port cannot hold it.
        this.opsIo = builder.opsPort < 0 ? null : Executors.newSingleThreadExecutor(new DaemonThreads("beacon-http-ops-io"));
        this.ops = boundedPool(builder.opsThreads, OPS_QUEUE_CAPACITY, "beacon-http-ops");
        this.ownsApp = builder.executor == null;
        this.app = ownsApp ? boundedPool(builder.threads, builder.queueCapacity, "beacon-http") : builder.executor;
        HttpServer main = null;
        try {
            main = HttpServer.create(new InetSocketAddress(builder.bindAddress, builder.port), 512);
            this.opsServer = builder.opsPort < 0 ? null
                    : HttpServer.create(new InetSocketAddress(builder.bindAddress, builder.opsPort), 64);
        } catch (IOException | RuntimeException e) {
            if (main != null) {
                main.stop(0);
            }
            shutdownExecutors();
            throw e;
        }
        this.server = main;
        server.setExecutor(io);
        server.createContext("/", exchange -> dispatch(exchange, false));
        if (opsServer != null) {
            opsServer.setExecutor(opsIo);
            opsServer.createContext("/", exchange -> dispatch(exchange, true));
        }
    }

    private static ExecutorService boundedPool(int threads, int queueCapacity, String name) {
        // AbortPolicy: a full queue throws at submit, and dispatch answers 503 instead of waiting.
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                queueCapacity == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queueCapacity),
                new DaemonThreads(name), new ThreadPoolExecutor.AbortPolicy());
    }

    /** A builder serving {@code endpoints}. */
    public static Builder builder(BeaconEndpoints endpoints) {
        return new Builder(endpoints);
    }

    /** Starts serving; returns this. */
    public BeaconHttpServer start() {
        server.start();
        if (opsServer != null) {
            opsServer.start();
        }
        LOG.info("beacon endpoints listening on {}:{}, ops plane on port {} (admin API {})",
                server.getAddress().getHostString(), port(), opsPort(),
                endpoints.adminEnabled() ? "on" : "off: set an admin token to turn it on");
        return this;
    }

    /** The port bound (useful with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The port of the ops plane: the ops port when one is configured, else {@link #port()}. */
    public int opsPort() {
        return opsServer == null ? port() : opsServer.getAddress().getPort();
    }

    /**
     * Runs on an IO thread: picks the plane by route and hands over, or answers 503 when it is full.
     * The ops port serves the ops plane only.
     */
    private void dispatch(HttpExchange exchange, boolean opsPortOnly) {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        Route route = endpoints.routeFor(method, path(exchange));
        boolean opsRoute = route != null && opsPlane(route);
        if (opsPortOnly && !opsRoute) {
            send(exchange, HttpResponse.error(404, "the ops port serves only health, metrics and admin routes"));
            return;
        }
        ExecutorService plane = opsRoute ? ops : app;
        try {
            plane.execute(() -> exchange(exchange));
        } catch (RejectedExecutionException e) {
            // Also after close() has stopped the executors: a late request is refused, never left open.
            send(exchange, endpoints.overloaded(method, route, Integer.toString(BUSY_RETRY_AFTER_SECONDS)));
        }
    }

    /** Whether {@code route} belongs to the ops plane: health, metrics and the admin API. */
    static boolean opsPlane(Route route) {
        return route.admin() || route.template().startsWith("/health/") || route.template().equals("/metrics");
    }

    private static String path(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    private void exchange(HttpExchange exchange) {
        HttpResponse response;
        try {
            byte[] body = readBody(exchange);
            if (body == null) {
                response = HttpResponse.error(413, "request body larger than " + endpoints.maxBodyBytes() + " bytes");
            } else {
                response = endpoints.handle(new HttpRequest(
                        exchange.getRequestMethod().toUpperCase(Locale.ROOT),
                        path(exchange),
                        query(exchange.getRequestURI().getRawQuery()),
                        headers(exchange),
                        body,
                        Map.of(),
                        remoteAddress(exchange)));
            }
        } catch (IOException e) {
            LOG.debug("client went away: {}", e.toString());
            exchange.close();
            return;
        } catch (RuntimeException e) {
            // handle() never throws; this is the server's own code failing, answered like a handler's bug.
            LOG.error("request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e);
            response = HttpResponse.error(500, "internal error");
        }
        send(exchange, response);
    }

    private static String remoteAddress(HttpExchange exchange) {
        InetSocketAddress remote = exchange.getRemoteAddress();
        return remote == null || remote.getAddress() == null ? null : remote.getAddress().getHostAddress();
    }

    private static void send(HttpExchange exchange, HttpResponse response) {
        try (exchange) {
            response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            if (response.contentType() != null) {
                exchange.getResponseHeaders().set("Content-Type", response.contentType());
            }
            boolean head = "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
            long length = response.body().length == 0 || head ? -1 : response.body().length;
            exchange.sendResponseHeaders(response.status(), length);
            if (length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        } catch (IOException e) {
            LOG.debug("client went away: {}", e.toString());
        }
    }

    /** The body, or null when it is larger than the limit. */
    private byte[] readBody(HttpExchange exchange) throws IOException {
        int limit = endpoints.maxBodyBytes();
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        long declaredLength = -1;
        if (declared != null) {
            try {
                declaredLength = Long.parseLong(declared.trim());
                if (declaredLength > limit) {
                    return null;
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        boolean noBody = declaredLength == 0
                || (declared == null && exchange.getRequestHeaders().getFirst("Transfer-Encoding") == null);
        try (InputStream in = exchange.getRequestBody()) {
            if (noBody) {
                // A probe's GET declares no body (RFC 9112 6.3: no Content-Length and no Transfer-Encoding).
                // One read() still marks the JDK's stream at its end, which keeps the connection alive;
                // readNBytes would allocate an 8 KiB buffer for every request (about 5 % of the bytes
                // allocated per probe under wrk; docs/BENCHMARKS.md, health endpoint profile).
                return in.read() == -1 ? NO_BODY : null;
            }
            byte[] body = in.readNBytes(limit + 1);
            return body.length > limit ? null : body;
        }
    }

    private static Map<String, List<String>> headers(HttpExchange exchange) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        return headers;
    }

    private static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            } catch (IllegalArgumentException e) {
                // A malformed escape: keep the raw text so the handler can reject it by name.
                query.computeIfAbsent(pair, n -> new ArrayList<>()).add("");
            }
        }
        return query;
    }

    /**
     * Stops the server, giving exchanges in progress up to a second, and stops the executors it
     * created (an application executor given to the builder is the caller's to stop).
     */
    @Override
    public void close() {
        server.stop(1);
        if (opsServer != null) {
            opsServer.stop(1);
        }
        shutdownExecutors();
    }

    private void shutdownExecutors() {
        List<ExecutorService> owned = new ArrayList<>(List.of(io, ops));
        if (opsIo != null) {
            owned.add(opsIo);
        }
        if (ownsApp) {
            owned.add(app);
        }
        owned.forEach(ExecutorService::shutdown);
        try {
            for (ExecutorService executor : owned) {
                executor.awaitTermination(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Builds a {@link BeaconHttpServer}; not thread-safe. */
    public static final class Builder {
        private final BeaconEndpoints endpoints;
        private String bindAddress = DEFAULT_BIND_ADDRESS;
        private int port = DEFAULT_PORT;
        private ExecutorService executor;
        private int threads = DEFAULT_THREADS;
        private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
        private int opsThreads = DEFAULT_OPS_THREADS;
        private int opsPort = -1;

        private Builder(BeaconEndpoints endpoints) {
            this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        }

        /** The address to bind; default {@value BeaconHttpServer#DEFAULT_BIND_ADDRESS}. */
        public Builder bindAddress(String bindAddress) {
            if (bindAddress == null || bindAddress.isBlank()) {
                throw new IllegalArgumentException("bindAddress must not be blank but was '" + bindAddress + "'");
            }
            this.bindAddress = bindAddress;
            return this;
        }

        /** The port: in [0, 65535], 0 for any free port; default {@value BeaconHttpServer#DEFAULT_PORT}. */
        public Builder port(int port) {
            this.port = inRange("port", port, 0, 65535);
            return this;
        }

        /** Worker threads of the application plane: in [1, 1024]; default {@value BeaconHttpServer#DEFAULT_THREADS}. */
        public Builder threads(int threads) {
            this.threads = inRange("threads", threads, 1, 1024);
            return this;
        }

        /**
         * Application requests that may wait for a worker: in [0, 100000], 0 for none (a request
         * finding every worker busy gets 503 at once); default {@value BeaconHttpServer#DEFAULT_QUEUE_CAPACITY}.
         */
        public Builder queueCapacity(int queueCapacity) {
            this.queueCapacity = inRange("queueCapacity", queueCapacity, 0, 100_000);
            return this;
        }

        /** Worker threads of the ops plane: in [1, 64]; default {@value BeaconHttpServer#DEFAULT_OPS_THREADS}. */
        public Builder opsThreads(int opsThreads) {
            this.opsThreads = inRange("opsThreads", opsThreads, 1, 64);
            return this;
        }

        /**
         * Serves the ops plane on a port of its own too (in [0, 65535], 0 for any free port), for
         * probes and scrapes that must reach the runner even when the main port's connections are
         * exhausted; it answers 404 to application routes. Default: none, the ops plane shares the
         * main port (on its own executor all the same).
         */
        public Builder opsPort(int opsPort) {
            this.opsPort = inRange("opsPort", opsPort, 0, 65535);
            return this;
        }

        /**
         * The executor application routes run on instead of the server's bounded pool ({@link #threads}
         * and {@link #queueCapacity} then do not apply): when it rejects a task, the request is
         * answered 503 with {@code Retry-After}. The ops plane keeps its own executor. The caller
         * stops it.
         */
        public Builder executor(ExecutorService executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        private static int inRange(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "] but was " + value);
            }
            return value;
        }

        /**
         * Binds the server (not yet serving; call {@link BeaconHttpServer#start()}).
         *
         * @throws IOException when the address cannot be bound
         */
        public BeaconHttpServer build() throws IOException {
            return new BeaconHttpServer(this);
        }
    }
}
