package org.projectbeacon.maven.check;

/**
 * A configured suppression: findings of check {@code id} for {@code alert} (when set) in
 * {@code file} (when set, matched against the end of the finding's path). At least one of alert
 * and file is needed, so that a suppression never silences a check everywhere by accident.
 *
 * <p>A mutable bean because Maven injects {@code <suppressions>} from the POM into it.
 */
public class Suppression {
    private String id;
    private String alert;
    private String file;

    /** An empty suppression, for Maven to fill. */
    public Suppression() {}

    /** A suppression of {@code id} for {@code alert} and/or {@code file}. */
    public Suppression(String id, String alert, String file) {
        this.id = id;
        this.alert = alert;
        this.file = file;
    }

    /** The check id. */
    public String getId() {
        return id;
    }

    /** The alert, or null for any. */
    public String getAlert() {
        return alert;
    }

    /** The file suffix, or null for any. */
    public String getFile() {
        return file;
    }

    /**
     * Checks the suppression is usable.
     *
     * @throws IllegalArgumentException naming the bad field and value
     */
    public void validate() {
        if (id == null || CheckId.byId(id).isEmpty()) {
            throw new IllegalArgumentException("suppression id must be one of the check ids but was '" + id + "'");
        }
        if ((alert == null || alert.isBlank()) && (file == null || file.isBlank())) {
            throw new IllegalArgumentException("suppression of '" + id + "' needs an alert or a file");
        }
    }

    /** Whether this suppression covers {@code finding}. */
    public boolean covers(Finding finding) {
        if (!finding.check().id().equals(id)) {
            return false;
        }
        boolean alertMatches = alert == null || alert.isBlank() || alert.equals(finding.alert());
        boolean fileMatches = file == null || file.isBlank() || finding.file().replace('\\', '/').endsWith(file);
        return alertMatches && fileMatches;
    }
}
