package org.projectbeacon.health.http;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One line of the admin audit trail: who called which admin route on what, from where, and how it
 * ended. Never holds the token or a request body.
 *
 * @param at when the call was answered
 * @param action the method and the route template below {@code /api/v1/admin/}, such as
 *     {@code POST circuit-breakers/{name}/force-open}
 * @param target the path parameters, query and start of the body (such as
 *     {@code name=golem-lhr duration=PT5M} or {@code body={'filter':{'stream':'jobs'}}}), or {@code -}
 *     when the call names none; a refused call's target is its path parameters only, and the token
 *     is masked as {@code ***} wherever it appears; printable ASCII (double quotes become single), at
 *     most 400 characters
 * @param actor the {@value BeaconEndpoints#ACTOR_HEADER} header when it is a plain name, else
 *     {@code admin-api} for a call with the right token, {@code anonymous} for a rejected one
 * @param remoteAddress the client's IP address, or {@code unknown}
 * @param status the HTTP status answered
 */
public record AuditEntry(Instant at, String action, String target, String actor, String remoteAddress, int status) {

    /** Validates the fields. */
    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
    }

    /** Whether the call was refused for its token (401) or because the admin API is off (403). */
    public boolean rejected() {
        return status == 401 || status == 403;
    }

    /**
     * The entry as one log line, {@code key=value} pairs in a fixed order; the same text the
     * endpoints send back in the {@code X-Beacon-Audit} header.
     */
    public String line() {
        return "action=\"" + action + "\" target=\"" + target + "\" actor=" + actor + " remote=" + remoteAddress
                + " status=" + status + " at=" + at;
    }

    /** The entry as JSON fields, snake_case. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("at", at.toString());
        json.put("action", action);
        json.put("target", target);
        json.put("actor", actor);
        json.put("remote_address", remoteAddress);
        json.put("status", status);
        json.put("line", line());
        return json;
    }
}
