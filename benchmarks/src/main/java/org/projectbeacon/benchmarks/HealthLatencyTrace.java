package org.projectbeacon.benchmarks;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * A latency-by-request trace of a health endpoint: N keep-alive connections, one thread each, each
 * sending GET after GET for S seconds and recording every request's start, latency and connection.
 * Prints the percentiles, then the 25 slowest requests in time order, and the requests over 5 ms by
 * 10-ms bucket. Slow requests at one moment on every connection point at the server as a whole (a
 * pause, a starved process); slow requests of one connection at a time point at that connection's
 * path (a lost wake-up, a lock, Nagle). Run beside {@link HealthEndpointBenchmark}:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.projectbeacon.benchmarks.HealthLatencyTrace PORT 10 10 /health/ready
 * </pre>
 */
public final class HealthLatencyTrace {

    private HealthLatencyTrace() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: PORT CONNECTIONS SECONDS [PATH]");
        }
        int port = Integer.parseInt(args[0]);
        int connections = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        String path = args.length > 3 ? args[3] : "/health/ready";
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        long origin = System.nanoTime();
        long end = origin + seconds * 1_000_000_000L;
        // Per request: start (µs since origin), latency (µs), connection.
        List<long[]> all = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            int connection = i;
            Thread t = new Thread(() -> all.addAll(run(port, request, connection, origin, end)));
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        all.sort(Comparator.comparingLong(r -> r[1]));
        int n = all.size();
        System.out.printf(Locale.ROOT, "%s, %d connections, %d s: %d requests, %.0f/s, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
                path, connections, seconds, n, n / (double) seconds, ms(all, 0.50), ms(all, 0.99), ms(all, 0.999),
                all.get(n - 1)[1] / 1000.0);
        List<long[]> slowest = new ArrayList<>(all.subList(Math.max(0, n - 25), n));
        slowest.sort(Comparator.comparingLong(r -> r[0]));
        System.out.println("the 25 slowest, in time order (start ms, latency ms, connection):");
        for (long[] r : slowest) {
            System.out.printf(Locale.ROOT, "  %9.1f %8.2f c%d%n", r[0] / 1000.0, r[1] / 1000.0, r[2]);
        }
        TreeMap<Long, Integer> buckets = new TreeMap<>();
        for (long[] r : all) {
            if (r[1] > 5_000) {
                buckets.merge(r[1] / 10_000 * 10, 1, Integer::sum);
            }
        }
        System.out.println("requests over 5 ms by 10-ms bucket (ms from: count): " + buckets);
    }

    private static List<long[]> run(int port, byte[] request, int connection, long origin, long end) {
        List<long[]> mine = new ArrayList<>();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[4096];
            while (System.nanoTime() < end) {
                long start = System.nanoTime();
                out.write(request);
                out.flush();
                int length = contentLength(head(in, buffer));
                in.readNBytes(length);
                long done = System.nanoTime();
                mine.add(new long[] {(start - origin) / 1000, (done - start) / 1000, connection});
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return mine;
    }

    private static double ms(List<long[]> sorted, double q) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())))[1] / 1000.0;
    }

    /** Reads a response head up to its empty line into {@code buffer}; returns it as text. */
    private static String head(InputStream in, byte[] buffer) throws IOException {
        int n = 0;
        while (n < 4 || buffer[n - 4] != '\r' || buffer[n - 3] != '\n' || buffer[n - 2] != '\r' || buffer[n - 1] != '\n') {
            int c = in.read();
            if (c == -1) {
                throw new EOFException("the server closed the connection");
            }
            if (n == buffer.length) {
                throw new IOException("response head longer than " + buffer.length + " bytes");
            }
            buffer[n++] = (byte) c;
        }
        return new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
    }

    private static int contentLength(String head) {
        for (String header : head.split("\r\n")) {
            int colon = header.indexOf(':');
            if (colon > 0 && header.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                return Integer.parseInt(header.substring(colon + 1).trim());
            }
        }
        return 0;
    }
}
