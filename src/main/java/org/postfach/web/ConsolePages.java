package org.postfach.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.net.URI;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.postfach.archive.Archive;
import org.postfach.archive.ArchivedMessage;
import org.postfach.directory.ConsoleAccess;
import org.postfach.directory.Directory;
import org.postfach.directory.Seller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seller console (SPEC §10), first part: sign-in by the single-use link the marketplace asks for, a session
 * cookie ({@code HttpOnly}, {@code SameSite=Lax}, {@code Secure} when {@code web.publicUrl} is https), the inbox of
 * buyer messages that await a response (oldest first, with their age) and sign-out (a form with the session's CSRF
 * token). Opening a sign-in link shows a button; only its {@code POST} uses the link, so mail scanners and link
 * previews do not spend it. A seller sees only its own messages, their subjects as it got them (contact details
 * removed).
 */
public final class ConsolePages implements HttpHandler {
    public static final String PATH = "/console";
    static final String COOKIE = "postfach_console";
    private static final Logger LOG = LoggerFactory.getLogger(ConsolePages.class);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final int INBOX_LIMIT = 500;
    private final ConsoleAccess access;
    private final Directory directory;
    private final Archive archive;
    private final UnaryOperator<String> subjectAsDelivered;
    private final Clock clock;
    private final boolean secure;
    private final PebbleTemplate signInPage = Pages.template("console-signin.peb");
    private final PebbleTemplate inboxPage = Pages.template("console-inbox.peb");

    /** {@code subjectAsDelivered}: the subject as the seller got it (SPEC §4, contact details removed). */
    public ConsolePages(ConsoleAccess access, Directory directory, Archive archive,
                        UnaryOperator<String> subjectAsDelivered, Clock clock, URI publicUrl) {
        this.access = access;
        this.directory = directory;
        this.archive = archive;
        this.subjectAsDelivered = subjectAsDelivered;
        this.clock = clock;
        this.secure = "https".equalsIgnoreCase(publicUrl.getScheme());
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        Pages.serve(ex, "console", asked -> answer(ex, asked));
    }

    private Pages.Page answer(HttpExchange ex, Pages.Asked asked) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        if (path.startsWith(ConsoleAccess.SIGN_IN_PATH)) {
            return signIn(ex, asked, path.substring(ConsoleAccess.SIGN_IN_PATH.length()));
        }
        if (path.equals(PATH + "/signin")) {
            return signInPage(200, asked.lang(), "info", null);
        }
        Optional<ConsoleAccess.Session> session = access.session(cookie(ex));
        if (path.equals(PATH + "/signout") && asked.post()) {
            if (session.isEmpty()) {
                return redirect(ex, PATH + "/signin");
            }
            if (!sameToken(session.get().csrf(), asked.form().get("csrf"))) {
                return Pages.Page.plain(403, "This form has expired. Please reload the page and try again.");
            }
            access.signOut(session.get().id());
            ex.getResponseHeaders().add("Set-Cookie", cookieValue("", 0));
            return redirect(ex, PATH + "/signin?out=1");
        }
        if (!path.equals(PATH) && !path.equals(PATH + "/")) {
            return Pages.Page.plain(404, "Not found.");
        }
        if (session.isEmpty()) {
            return redirect(ex, PATH + "/signin");
        }
        return inbox(asked.lang(), session.get());
    }

    private Pages.Page signIn(HttpExchange ex, Pages.Asked asked, String token) throws IOException {
        if (token.isEmpty() || token.length() > 64 || token.contains("/")) {
            return signInPage(404, asked.lang(), "invalid", null);
        }
        if (!asked.post()) {
            Optional<Seller> seller = access.linkSeller(token);
            return seller.isEmpty() ? signInPage(404, asked.lang(), "invalid", null)
                    : signInPage(200, asked.lang(), "confirm", seller.get().name());
        }
        Optional<ConsoleAccess.Session> session = access.signIn(token);
        if (session.isEmpty()) {
            return signInPage(404, asked.lang(), "invalid", null);
        }
        LOG.info("seller {} signed in to the console by link", session.get().sellerId());
        ex.getResponseHeaders().add("Set-Cookie", cookieValue(session.get().id(),
                Duration.between(clock.instant(), session.get().expiresAt()).toSeconds()));
        return redirect(ex, PATH + "/" + ("de".equals(asked.lang()) ? "?lang=de" : ""));
    }

    private Pages.Page inbox(String lang, ConsoleAccess.Session session) throws IOException {
        Seller seller = directory.seller(session.sellerId());
        List<Map<String, String>> rows = new ArrayList<>();
        for (ArchivedMessage m : archive.awaitingResponse(seller.id(), INBOX_LIMIT)) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("alias", m.buyerAlias());
            row.put("subject", subjectAsDelivered.apply(m.subject() == null ? "" : m.subject()));
            row.put("order", m.orderId() == null ? "" : m.orderId());
            row.put("received", DATE.format(m.receivedAt()));
            row.put("age", age(Duration.between(m.receivedAt(), clock.instant()), lang));
            rows.add(row);
        }
        Map<String, Object> model = new HashMap<>();
        model.put("lang", lang);
        model.put("t", Pages.texts("console", lang));
        model.put("seller", seller.name());
        model.put("messages", rows);
        model.put("csrf", session.csrf());
        return Pages.render(inboxPage, 200, model);
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

    private Pages.Page signInPage(int status, String lang, String state, String sellerName) throws IOException {
        Map<String, Object> model = new HashMap<>();
        model.put("lang", lang);
        model.put("t", Pages.texts("console", lang));
        model.put("state", state);
        model.put("seller", sellerName);
        return Pages.render(signInPage, status, model);
    }

    private static Pages.Page redirect(HttpExchange ex, String location) {
        ex.getResponseHeaders().set("Location", location);
        return Pages.Page.plain(303, "See " + location);
    }

    private String cookieValue(String id, long maxAgeSeconds) {
        return COOKIE + "=" + id + "; Path=" + PATH + "; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Lax"
                + (secure ? "; Secure" : "");
    }

    /** The session cookie's value, or null. */
    static String cookie(HttpExchange ex) {
        List<String> headers = ex.getRequestHeaders().get("Cookie");
        if (headers == null) {
            return null;
        }
        for (String header : headers) {
            for (String pair : header.split(";")) {
                String p = pair.trim();
                if (p.startsWith(COOKIE + "=")) {
                    return p.substring(COOKIE.length() + 1);
                }
            }
        }
        return null;
    }

    private static boolean sameToken(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }
}
