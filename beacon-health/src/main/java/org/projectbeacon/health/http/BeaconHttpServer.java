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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * <p>Bodies are read up to the endpoints' limit; a larger one is answered 413 without reading the
 * rest. Thread-safe; {@link #close()} stops the server and an executor it created itself.
 */
public final class BeaconHttpServer implements AutoCloseable {

    /** Default {@value}: loopback only; bind {@code 0.0.0.0} deliberately to serve other hosts. */
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    /** Default {@value}. */
    public static final int DEFAULT_PORT = 8080;
    /** Default {@value}: worker threads of the server's own executor. */
    public static final int DEFAULT_THREADS = 8;

    private static final Logger LOG = LoggerFactory.getLogger(BeaconHttpServer.class);

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
    private final ExecutorService executor;
    private final boolean ownsExecutor;

    private BeaconHttpServer(Builder builder) throws IOException {
        this.endpoints = builder.endpoints;
        this.server = HttpServer.create(new InetSocketAddress(builder.bindAddress, builder.port), 512);
        this.ownsExecutor = builder.executor == null;
        this.executor = ownsExecutor
                ? Executors.newFixedThreadPool(DEFAULT_THREADS, new DaemonThreads("beacon-http"))
                : builder.executor;
        server.setExecutor(executor);
        server.createContext("/", this::exchange);
    }

    /** A builder serving {@code endpoints}. */
    public static Builder builder(BeaconEndpoints endpoints) {
        return new Builder(endpoints);
    }

    /** Starts serving; returns this. */
    public BeaconHttpServer start() {
        server.start();
        LOG.info("beacon endpoints listening on {}:{} (admin API {})", server.getAddress().getHostString(), port(),
                endpoints.adminEnabled() ? "on" : "off: set an admin token to turn it on");
        return this;
    }

    /** The port bound (useful with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            HttpResponse response;
            byte[] body = readBody(exchange);
            if (body == null) {
                response = HttpResponse.error(413, "request body larger than " + endpoints.maxBodyBytes() + " bytes");
            } else {
                response = endpoints.handle(new HttpRequest(
                        exchange.getRequestMethod().toUpperCase(Locale.ROOT),
                        exchange.getRequestURI().getPath() == null ? "/" : exchange.getRequestURI().getPath(),
                        query(exchange.getRequestURI().getRawQuery()),
                        headers(exchange),
                        body,
                        Map.of()));
            }
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
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > limit) {
                    return null;
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
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

    /** Stops the server, giving exchanges in progress up to a second, and stops an owned executor. */
    @Override
    public void close() {
        server.stop(1);
        if (ownsExecutor) {
            executor.shutdown();
            try {
                executor.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Builds a {@link BeaconHttpServer}; not thread-safe. */
    public static final class Builder {
        private final BeaconEndpoints endpoints;
        private String bindAddress = DEFAULT_BIND_ADDRESS;
        private int port = DEFAULT_PORT;
        private ExecutorService executor;

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
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in [0, 65535] but was " + port);
            }
            this.port = port;
            return this;
        }

        /** The executor requests run on; default a fixed pool of {@value BeaconHttpServer#DEFAULT_THREADS} daemon threads. */
        public Builder executor(ExecutorService executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
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
