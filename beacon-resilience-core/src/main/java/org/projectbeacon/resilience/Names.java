package org.projectbeacon.resilience;

import java.util.regex.Pattern;

/**
 * The rule every guard, dependency, region and health check name follows, so that it is safe in
 * property keys, metric tags, log lines and URL paths. Stateless.
 */
public final class Names {

    /** Letters, digits, {@code _} and {@code -}, starting with a letter or digit. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private Names() {}

    /** Whether {@code value} is a valid name. */
    public static boolean isValid(String value) {
        return value != null && NAME.matcher(value).matches();
    }

    /**
     * Returns {@code value} when it is a valid name.
     *
     * @throws IllegalArgumentException naming {@code parameter} and the value otherwise
     */
    public static String requireName(String parameter, String value) {
        if (!isValid(value)) {
            throw new IllegalArgumentException(parameter + " must match " + NAME.pattern() + " but was "
                    + (value == null ? "null" : "'" + value + "'"));
        }
        return value;
    }
}
