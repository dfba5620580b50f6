package org.projectbeacon.resilience;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One chaos scenario's counts, written where {@code scripts/reliability-report.sh} collects them into
 * {@code docs/RELIABILITY.md}: a markdown table row in {@code target/reliability/<id>.md} of the module
 * running the test, and the same line on standard out so the build log shows it.
 *
 * <p>Counts that make no sense for a scenario (e.g. "published" for the admin API fuzz) are given as
 * {@code -1} and shown as "–". Shared with every module's tests through core's test-jar.
 */
public final class ReliabilityRecord {

    /** The row heading {@code docs/RELIABILITY.md}'s table uses, in the order of {@link #row()}. */
    public static final String HEADER =
            "| scenario | sent | published | lost | duplicates | took | result | notes |\n"
                    + "|---|---:|---:|---:|---:|---:|---|---|";

    private final String id;
    private final String scenario;
    private final long sent;
    private final long published;
    private final long lost;
    private final long duplicates;
    private final Duration took;
    private final String notes;
    private final String failure;

    private ReliabilityRecord(
            String id, String scenario, long sent, long published, long lost, long duplicates,
            Duration took, String notes) {
        this(id, scenario, sent, published, lost, duplicates, took, notes, null);
    }

    private ReliabilityRecord(
            String id, String scenario, long sent, long published, long lost, long duplicates,
            Duration took, String notes, String failure) {
        if (!id.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("id must be lower-case letters, digits and '-', was: " + id);
        }
        this.id = id;
        this.scenario = Objects.requireNonNull(scenario, "scenario");
        this.sent = sent;
        this.published = published;
        this.lost = lost;
        this.duplicates = duplicates;
        this.took = Objects.requireNonNull(took, "took");
        this.notes = notes == null ? "" : notes;
        this.failure = failure;
    }

    /**
     * This record marked FAIL whatever it lost, for a scenario that has other failures (500 answers,
     * duplicated effects where none are allowed); {@code reason} is appended to the notes.
     */
    public ReliabilityRecord failedBecause(String reason) {
        return new ReliabilityRecord(id, scenario, sent, published, lost, duplicates, took, notes,
                Objects.requireNonNull(reason, "reason"));
    }

    /**
     * A record of scenario {@code id} (file name) described as {@code scenario}; {@code started} is when
     * the scenario began, so "took" is measured up to now.
     */
    public static ReliabilityRecord of(
            String id, String scenario, long sent, long published, long lost, long duplicates,
            Instant started, String notes) {
        return new ReliabilityRecord(
                id, scenario, sent, published, lost, duplicates, Duration.between(started, Instant.now()), notes);
    }

    /** The markdown table row. */
    public String row() {
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.1f s | %s | %s |",
                escape(scenario), count(sent), count(published), count(lost), count(duplicates),
                took.toMillis() / 1000.0, lost == 0 && failure == null ? "pass" : "FAIL",
                escape(failure == null ? notes : notes + "; FAIL: " + failure));
    }

    /**
     * Writes the row to {@code target/reliability/<id>.md} (relative to the working directory, which
     * surefire and failsafe set to the module) and prints it.
     */
    public ReliabilityRecord write() {
        Path dir = Path.of("target", "reliability");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(id + ".md"), row() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("RELIABILITY " + row());
        return this;
    }

    private static String count(long n) {
        return n < 0 ? "–" : String.format(Locale.ROOT, "%,d", n);
    }

    private static String escape(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
