package org.projectbeacon.outbox.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads a migration script from the classpath and splits it into statements. */
final class SqlScript {
    private SqlScript() {}

    static String load(String resource) {
        try (InputStream in = SqlScript.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("migration script " + resource + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Splits at semicolons outside quotes and dollar-quoted bodies (PostgreSQL functions contain
     * semicolons), dropping {@code --} comments.
     */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inQuote = false;
        boolean inDollar = false;
        int n = script.length();
        for (int i = 0; i < n; i++) {
            char c = script.charAt(i);
            if (!inQuote && !inDollar && c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
                while (i < n && script.charAt(i) != '\n') {
                    i++;
                }
                current.append('\n');
                continue;
            }
            if (!inQuote && c == '$' && i + 1 < n && script.charAt(i + 1) == '$') {
                inDollar = !inDollar;
                current.append("$$");
                i++;
                continue;
            }
            if (!inDollar && c == '\'') {
                inQuote = !inQuote;
            }
            if (c == ';' && !inQuote && !inDollar) {
                add(out, current);
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        add(out, current);
        return out;
    }

    private static void add(List<String> out, StringBuilder sb) {
        String s = sb.toString().strip();
        if (!s.isEmpty()) {
            out.add(s);
        }
    }
}
