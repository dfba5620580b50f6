package org.projectbeacon.outbox.redis;

import java.util.Map;

/**
 * One Redis stream entry delivered to a {@link StreamHandler}.
 *
 * @param stream the stream key
 * @param id the entry id
 * @param fields the entry's fields (for outbox entries: {@code id}, {@code key}, {@code content-type}, {@code payload}, {@code h:*})
 * @param deliveries how many times the group has delivered it, this time included
 */
public record StreamEntry(String stream, String id, Map<String, String> fields, long deliveries) {

    /** Copies the fields. */
    public StreamEntry {
        fields = Map.copyOf(fields);
    }
}
