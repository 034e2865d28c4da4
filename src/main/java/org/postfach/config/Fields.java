package org.postfach.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The typed readers of {@link SettingsLoader}: each parses one key's effective value and, when it is not valid, adds
 * a problem that names the key and says why (and returns a stand-in, so that the other keys are still checked).
 */
final class Fields {
    private final Map<String, String> values;
    private final List<String> problems;

    Fields(Map<String, String> values, List<String> problems) {
        this.values = values;
        this.problems = problems;
    }

    String text(String key) {
        String v = values.get(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private <T> T parsed(String key, Function<String, T> parser, T fallback) {
        String v = text(key);
        if (v == null) {
            return null;
        }
        try {
            return parser.apply(v);
        } catch (RuntimeException e) {
            problems.add(key + ": " + (e.getMessage() == null ? "invalid value '" + v + "'" : e.getMessage()));
            return fallback;
        }
    }

    int integer(String key, int min, int max) {
        Integer n = parsed(key, v -> {
            int i;
            try {
                i = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + v + "' is not a whole number");
            }
            if (i < min || i > max) {
                throw new IllegalArgumentException(i + " is out of range (" + min + " to " + max + ")");
            }
            return i;
        }, -1);
        return n == null ? -1 : n;
    }

    int port(String key) {
        return integer(key, 0, 65_535);
    }

    boolean bool(String key) {
        Boolean b = parsed(key, v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("'" + v + "' is not true or false");
        }, false);
        return b != null && b;
    }

    long size(String key) {
        Long n = parsed(key, Values::size, -1L);
        if (n != null && n >= 0 && n < 1024) {
            problems.add(key + ": " + n + " bytes is too small (at least 1KB)");
        }
        return n == null ? -1 : n;
    }

    Duration duration(String key) {
        return parsed(key, Values::duration, Duration.ZERO);
    }

    /** A duration that bounds an SMTP session: more than zero, and at most 24 days (a socket timeout is an int). */
    Duration timeout(String key) {
        Duration d = parsed(key, Values::duration, null); // null when unparsable: that problem is already listed
        if (d != null && (d.isZero() || d.isNegative() || d.toMillis() > Integer.MAX_VALUE)) {
            problems.add(key + ": " + text(key) + " is out of range (more than 0, at most 24d)");
        }
        return d;
    }

    Path path(String key) {
        return parsed(key, Path::of, null);
    }

    URI uri(String key) {
        return parsed(key, v -> {
            URI u = URI.create(v);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new IllegalArgumentException("'" + v + "' is not an http or https URL");
            }
            return u;
        }, null);
    }

    List<String> list(String key) {
        String v = text(key);
        return v == null ? List.of() : Values.list(v);
    }

    List<String> lowerList(String key) {
        return list(key).stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }

    <E extends Enum<E>> E choice(String key, Function<String, E> valueOf, String allowed) {
        return parsed(key, v -> {
            try {
                return valueOf.apply(v.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + v + "' is not one of " + allowed);
            }
        }, null);
    }
}
