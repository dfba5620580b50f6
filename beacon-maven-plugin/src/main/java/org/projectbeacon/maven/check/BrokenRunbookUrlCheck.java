package org.projectbeacon.maven.check;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.projectbeacon.maven.runbook.Runbook;

/** {@code broken-runbook-url}: a {@code runbook_url} into a configured runbook whose anchor no heading has. */
final class BrokenRunbookUrlCheck implements Check {

    @Override
    public CheckId id() {
        return CheckId.BROKEN_RUNBOOK_URL;
    }

    @Override
    public List<Finding> rule(CheckedRule checked, CheckContext context) {
        String url = checked.rule().annotations().get("runbook_url");
        if (!checked.rule().alert() || url == null || url.isBlank()) {
            return List.of();
        }
        String alert = checked.rule().name();
        int hash = url.indexOf('#');
        String path = pathOf(hash < 0 ? url : url.substring(0, hash));
        String anchor = hash < 0 ? null : url.substring(hash + 1);
        for (Runbook runbook : context.runbooks()) {
            Path name = runbook.file().getFileName();
            if (name == null || !path.endsWith("/" + name) && !path.equals(name.toString())) {
                continue;
            }
            if (anchor != null && !anchor.isEmpty() && !runbook.hasAnchor(anchor)) {
                return List.of(Finding.of(id(), checked.file(), checked.rule().line(), 0, alert, null,
                        "runbook_url of " + alert + " points to #" + anchor + ", which no heading of " + name + " has"
                                + runbook.section(alert).map(s -> "; the section of " + alert + " is #" + s.anchor())
                                        .orElse("")));
            }
            return List.of();
        }
        return List.of();
    }

    private static String pathOf(String url) {
        try {
            URI uri = URI.create(url.replace(" ", "%20"));
            return uri.getPath() == null ? url : uri.getPath();
        } catch (IllegalArgumentException e) {
            return url;
        }
    }
}
