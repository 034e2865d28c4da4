package org.postfach.web;

import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.postfach.archive.Archive;
import org.postfach.archive.ArchivedMessage;
import org.postfach.directory.ConsoleAccess;
import org.postfach.directory.Directory;
import org.postfach.intake.Intake;

/** What the console's pages share: the core they call, and the small rules every page keeps the same. */
final class Console {
    static final String PATH = "/console";
    static final String SIGN_IN = PATH + "/signin";
    static final String CONVERSATION = PATH + "/c/";
    static final String SETTINGS = PATH + "/settings";
    static final String COOKIE = "postfach_console";
    static final String FORM_COOKIE = "postfach_signin";
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    final ConsoleAccess access;
    final Directory directory;
    final Archive archive;
    final Intake intake;
    final Clock clock;
    /** Cookies are {@code Secure} when {@code web.publicUrl} is https. */
    final boolean secure;
    private final UnaryOperator<String> subjectAsDelivered;

    Console(ConsoleAccess access, Directory directory, Archive archive, Intake intake,
            UnaryOperator<String> subjectAsDelivered, Clock clock, boolean secure) {
        this.access = access;
        this.directory = directory;
        this.archive = archive;
        this.intake = intake;
        this.subjectAsDelivered = subjectAsDelivered;
        this.clock = clock;
        this.secure = secure;
    }

    /** The subject as the seller got it: the archive keeps the original, which may hold removed contact details. */
    String subject(ArchivedMessage m) {
        return subjectAsDelivered.apply(m.subject() == null ? "" : m.subject());
    }

    /** The stored form the seller saw: as delivered, or for its own blocked message as it sent it. */
    Optional<byte[]> shown(ArchivedMessage m) {
        return archive.raw(m.id(), "BLOCKED".equals(m.status()) ? "original" : "delivered");
    }

    /** The session cookie for a seller who just signed in. */
    void signedIn(HttpExchange ex, ConsoleAccess.Session session) {
        ex.getResponseHeaders().add("Set-Cookie", cookieValue(session.id(),
                Duration.between(clock.instant(), session.expiresAt()).toSeconds()));
    }

    String cookieValue(String id, long maxAgeSeconds) {
        return COOKIE + "=" + id + "; Path=" + PATH + "; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Lax"
                + (secure ? "; Secure" : "");
    }

    /** The answer to a form whose token does not match. */
    static Pages.Page expired() {
        return Pages.Page.plain(403, "This form has expired. Please reload the page and try again.");
    }

    static Pages.Page redirect(HttpExchange ex, String location) {
        ex.getResponseHeaders().set("Location", location);
        return Pages.Page.plain(303, "See " + location);
    }

    /** The language to keep across a redirect: {@code ?lang=de} or {@code &lang=de} (after {@code separator}). */
    static String lang(String lang, char separator) {
        return "de".equals(lang) ? separator + "lang=de" : "";
    }

    /** A cookie's value, or null. */
    static String cookie(HttpExchange ex, String name) {
        List<String> headers = ex.getRequestHeaders().get("Cookie");
        if (headers == null) {
            return null;
        }
        for (String header : headers) {
            for (String pair : header.split(";")) {
                String p = pair.trim();
                if (p.startsWith(name + "=")) {
                    return p.substring(name.length() + 1);
                }
            }
        }
        return null;
    }

    static boolean sameToken(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    /** A path segment, percent-decoded; one that cannot be decoded names nothing (an empty string). */
    static String decoded(String segment) {
        try {
            return java.net.URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** "12 min", "5 h", "3 d" (German: "Std.", "Tg."). */
    static String age(Duration d, String lang) {
        long minutes = Math.max(0, d.toMinutes());
        if (minutes < 60) {
            return minutes + " min";
        }
        if (minutes < 48 * 60) {
            return minutes / 60 + ("de".equals(lang) ? " Std." : " h");
        }
        return minutes / (24 * 60) + ("de".equals(lang) ? " Tg." : " d");
    }
}
