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
import org.postfach.intake.Intake;
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
    static final String CONVERSATION = PATH + "/c/";
    static final String SETTINGS = PATH + "/settings";
    private static final int CONVERSATION_LIMIT = 200;
    private static final int MAX_SUBJECT = 200;
    private static final int MAX_TEXT = 100_000;
    static final String COOKIE = "postfach_console";
    static final String FORM_COOKIE = "postfach_signin";
    private static final Logger LOG = LoggerFactory.getLogger(ConsolePages.class);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final int INBOX_LIMIT = 500;
    /** A keyword search reads each candidate's stored form: it looks at the newest this many. */
    private static final int KEYWORD_CANDIDATES = 100;
    static final List<String> VIEWS = List.of("awaiting", "all", "sent", "blocked", "reported");
    private final ConsoleAccess access;
    private final Intake intake;
    /** The largest reply with its attachments ({@code smtp.maxMessageSize}, as by SMTP). */
    private final long maxUpload;
    private final Directory directory;
    private final Archive archive;
    private final UnaryOperator<String> subjectAsDelivered;
    private final Clock clock;
    private final boolean secure;
    private final PebbleTemplate signInPage = Pages.template("console-signin.peb");
    private final PebbleTemplate inboxPage = Pages.template("console-inbox.peb");
    private final PebbleTemplate conversationPage = Pages.template("console-conversation.peb");
    private final PebbleTemplate settingsPage = Pages.template("console-settings.peb");

    /**
     * {@code subjectAsDelivered}: the subject as the seller got it (SPEC §4, contact details removed); {@code intake}:
     * where a reply written here goes, the same path as mail sent by SMTP.
     */
    public ConsolePages(ConsoleAccess access, Directory directory, Archive archive, Intake intake,
                        UnaryOperator<String> subjectAsDelivered, Clock clock, URI publicUrl, long maxUpload) {
        this.maxUpload = maxUpload;
        this.access = access;
        this.intake = intake;
        this.directory = directory;
        this.archive = archive;
        this.subjectAsDelivered = subjectAsDelivered;
        this.clock = clock;
        this.secure = "https".equalsIgnoreCase(publicUrl.getScheme());
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        // files are read only for a signed-in seller's conversation: nobody else makes the server hold megabytes
        String path = ex.getRequestURI().getRawPath();
        long upload = path.startsWith(CONVERSATION) && access.session(cookie(ex)).isPresent() ? maxUpload : 0;
        Pages.serve(ex, "console", upload, asked -> answer(ex, asked));
    }

    private Pages.Page answer(HttpExchange ex, Pages.Asked asked) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        if (path.startsWith(ConsoleAccess.SIGN_IN_PATH)) {
            return signIn(ex, asked, path.substring(ConsoleAccess.SIGN_IN_PATH.length()));
        }
        if (path.equals(PATH + "/signin")) {
            return passwordSignIn(ex, asked);
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
        if (path.equals(PATH + "/write")) {
            return session.isEmpty() ? redirect(ex, PATH + "/signin") : write(ex, asked, session.get());
        }
        if (path.equals(SETTINGS)) {
            return session.isEmpty() ? redirect(ex, PATH + "/signin") : settings(ex, asked, session.get());
        }
        boolean conversation = path.startsWith(CONVERSATION);
        if (!conversation && !path.equals(PATH) && !path.equals(PATH + "/")) {
            return Pages.Page.plain(404, "Not found.");
        }
        if (session.isEmpty()) {
            return redirect(ex, PATH + "/signin");
        }
        if (conversation && path.contains("/a/")) {
            return download(ex, session.get(), path.substring(CONVERSATION.length()));
        }
        if (conversation) {
            return conversation(ex, asked, session.get(), path.substring(CONVERSATION.length()));
        }
        return inbox(asked, session.get());
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

    /**
     * SPEC §10: sign-in with address and password. The form is protected by a token in a cookie of its own and in
     * the form (a site elsewhere cannot sign a browser into an account of its choosing); failed sign-ins are limited
     * per address.
     */
    private Pages.Page passwordSignIn(HttpExchange ex, Pages.Asked asked) throws IOException {
        String lang = asked.lang();
        Map<String, String> t = Pages.texts("console", lang);
        if (!asked.post()) {
            String token = access.formToken();
            ex.getResponseHeaders().add("Set-Cookie", FORM_COOKIE + "=" + token + "; Path=" + PATH
                    + "/signin; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : ""));
            return signInForm(200, lang, token, null, "1".equals(asked.query().get("out")) ? t.get("signedOut") : null,
                    "");
        }
        String expected = cookie(ex, FORM_COOKIE);
        if (expected == null || !sameToken(expected, asked.form().get("form"))) {
            return Pages.Page.plain(403, "This form has expired. Please reload the page and try again.");
        }
        String address = asked.form().getOrDefault("address", "");
        ConsoleAccess.SignIn result = access.signIn(address, asked.form().get("password"));
        if (result.session().isEmpty()) {
            LOG.info("console sign-in failed{}", result.limited() ? " (held back: too many failures)" : "");
            return signInForm(result.limited() ? 429 : 401, lang, expected,
                    t.get(result.limited() ? "tooMany" : "wrongPassword"), null, address);
        }
        ConsoleAccess.Session session = result.session().get();
        LOG.info("seller {} signed in to the console with a password", session.sellerId());
        ex.getResponseHeaders().add("Set-Cookie", cookieValue(session.id(),
                Duration.between(clock.instant(), session.expiresAt()).toSeconds()));
        return redirect(ex, PATH + "/" + ("de".equals(lang) ? "?lang=de" : ""));
    }

    private Pages.Page signInForm(int status, String lang, String token, String problem, String note, String address)
            throws IOException {
        Map<String, Object> model = new HashMap<>();
        model.put("lang", lang);
        model.put("t", Pages.texts("console", lang));
        model.put("state", "password");
        model.put("form", token);
        model.put("problem", problem);
        model.put("note", note);
        model.put("address", address);
        return Pages.render(signInPage, status, model);
    }

    /**
     * SPEC §10's inbox: by default the buyer messages that await a response, oldest first, with their age; the other
     * views (all, sent, blocked with its rule, reported) newest first, narrowed by order number, alias and dates.
     */
    private Pages.Page inbox(Pages.Asked asked, ConsoleAccess.Session session) throws IOException {
        String lang = asked.lang();
        Seller seller = directory.seller(session.sellerId());
        String asks = asked.query().getOrDefault("view", "awaiting"); // (List.of rejects a null)
        String view = VIEWS.contains(asks) ? asks : "awaiting";
        String order = blankToNull(asked.query().get("order"));
        String alias = blankToNull(asked.query().get("alias"));
        String keyword = blankToNull(asked.query().get("q"));
        if (keyword != null && keyword.length() > 200) {
            keyword = keyword.substring(0, 200);
        }
        java.time.Instant since = day(asked.query().get("since"), 0);
        java.time.Instant until = day(asked.query().get("until"), 1);
        boolean filtered = order != null || alias != null || since != null || until != null || keyword != null;
        List<ArchivedMessage> found;
        if (view.equals("awaiting") && !filtered) {
            found = archive.awaitingResponse(seller.id(), INBOX_LIMIT);
        } else if (view.equals("reported")) {
            found = archive.reported(seller.id(), INBOX_LIMIT);
        } else {
            found = archive.search(new org.postfach.archive.Query(seller.id(), alias == null ? null
                    : alias.toLowerCase(java.util.Locale.ROOT), order, since, until, keyword,
                    view.equals("blocked") ? "BLOCKED" : null, view.equals("awaiting") ? Boolean.TRUE : null,
                    keyword == null ? INBOX_LIMIT : KEYWORD_CANDIDATES, null,
                    view.equals("sent") ? "seller-to-buyer" : null)).items();
        }
        if (keyword != null) {
            found = asTheSellerSawThem(found, keyword);
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (ArchivedMessage m : found) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("alias", m.buyerAlias() == null ? "" : m.buyerAlias());
            row.put("link", m.buyerAlias() == null ? "" : CONVERSATION + m.buyerAlias());
            row.put("route", m.route());
            row.put("subject", subjectAsDelivered.apply(m.subject() == null ? "" : m.subject()));
            row.put("order", m.orderId() == null ? "" : m.orderId());
            row.put("received", DATE.format(m.receivedAt()));
            row.put("age", age(Duration.between(m.receivedAt(), clock.instant()), lang));
            row.put("status", m.status());
            row.put("rule", m.blockedRule() == null ? "" : m.blockedRule());
            row.put("paperclip", m.attachments() > 0 ? "yes" : "");
            rows.add(row);
        }
        Map<String, Object> model = new HashMap<>();
        model.put("lang", lang);
        model.put("t", Pages.texts("console", lang));
        model.put("seller", seller.name());
        model.put("messages", rows);
        model.put("csrf", session.csrf());
        model.put("view", view);
        model.put("views", VIEWS);
        model.put("order", order == null ? "" : order);
        model.put("alias", alias == null ? "" : alias);
        model.put("q", keyword == null ? "" : keyword);
        model.put("since", since == null ? "" : asked.query().get("since"));
        model.put("unknown", "1".equals(asked.query().get("unknown")));
        model.put("until", until == null ? "" : asked.query().get("until"));
        return Pages.render(inboxPage, 200, model);
    }

    /**
     * SPEC §10's settings: bounce notices on or off (with the warning that blocked mail then goes unnoticed), the
     * authorized sender addresses, the customer-service address, a new SMTP password (shown once), today's count
     * against the daily limit, and response times. Each change is a POST with the session's CSRF token.
     */
    private Pages.Page settings(HttpExchange ex, Pages.Asked asked, ConsoleAccess.Session session) throws IOException {
        String lang = asked.lang();
        Map<String, String> t = Pages.texts("console", lang);
        String sellerId = session.sellerId();
        String problem = null;
        String done = null;
        String password = null;
        if (asked.post()) {
            if (!sameToken(session.csrf(), asked.form().get("csrf"))) {
                return Pages.Page.plain(403, "This form has expired. Please reload the page and try again.");
            }
            String action = asked.form().getOrDefault("action", "");
            try {
                switch (action) { // each as behind the API's routes
                    case "notices" -> directory.updateSeller(sellerId, null, null,
                            "on".equals(asked.form().get("notices")), null);
                    case "addAddress" -> directory.authorizeAddress(sellerId, address(asked.form().get("address")));
                    case "removeAddress" -> directory.withdrawAddress(sellerId, address(asked.form().get("address")));
                    case "customerService" -> directory.updateSeller(sellerId, null,
                            address(asked.form().get("address")), null, null);
                    case "password" -> password = directory.issueCredentials(sellerId);
                    default -> problem = t.get("unknownAction");
                }
                if (problem == null) {
                    done = t.get(action.equals("password") ? "passwordDone" : "saved");
                    LOG.info("seller {} changed its settings in the console: {}", sellerId, action);
                }
            } catch (org.postfach.directory.DirectoryException e) {
                problem = t.get(switch (e.kind()) {
                    case CONFLICT -> action.equals("removeAddress") ? "registeredStays" : "addressTaken";
                    case NOT_FOUND -> "addressUnknown";
                    default -> "addressInvalid";
                });
            }
        }
        Seller seller = directory.seller(sellerId);
        org.postfach.archive.Stats stats = archive.stats(sellerId);
        Map<String, Object> model = new HashMap<>();
        model.put("lang", lang);
        model.put("t", t);
        model.put("seller", seller.name());
        model.put("csrf", session.csrf());
        model.put("notices", seller.bounceNotices());
        model.put("registered", seller.email().toString());
        model.put("addresses", directory.sellerAddresses(sellerId).stream().map(Object::toString).toList());
        model.put("customerService", seller.customerServiceEmail().toString());
        model.put("sentToday", stats.sentToday());
        model.put("dailyLimit", stats.dailyLimit());
        model.put("awaitingCount", stats.awaitingResponse());
        model.put("averageResponse", stats.averageResponseSeconds() == null ? "–"
                : age(Duration.ofSeconds(stats.averageResponseSeconds()), lang));
        model.put("within24h", stats.answeredWithin24h() == null ? "–"
                : Math.round(stats.answeredWithin24h() * 100) + " %");
        model.put("password", password);
        model.put("username", seller.email().toString());
        model.put("problem", problem);
        model.put("done", done);
        return Pages.render(settingsPage, problem == null ? 200 : 400, model);
    }

    /**
     * SPEC §10's compose: to one of the seller's buyer aliases, named by the alias or by an order number of the pair;
     * the conversation's form then writes the message (a conversation without messages yet is just that form).
     */
    private Pages.Page write(HttpExchange ex, Pages.Asked asked, ConsoleAccess.Session session) {
        String to = asked.query().getOrDefault("to", "").strip();
        String lang = "de".equals(asked.lang()) ? "&lang=de" : "";
        Optional<String> alias = directory.owner(to.toLowerCase(java.util.Locale.ROOT))
                .filter(o -> !o.isSellerAlias() && o.seller().id().equals(session.sellerId()))
                .map(org.postfach.directory.AliasOwner::alias);
        if (alias.isEmpty() && !to.isEmpty()) {
            alias = directory.order(to).filter(o -> o.sellerId().equals(session.sellerId()))
                    .map(o -> directory.buyerAlias(o.sellerId(), o.buyerId()));
        }
        return alias.isPresent() ? redirect(ex, CONVERSATION + alias.get() + (lang.isEmpty() ? "" : "?lang=de"))
                : redirect(ex, PATH + "/?unknown=1" + lang);
    }

    /** An address from a form, or INVALID as the directory would say it. */
    private static org.postfach.mail.Address address(String text) {
        return org.postfach.mail.Address.parse(text == null ? "" : text.strip())
                .orElseThrow(() -> org.postfach.directory.DirectoryException.invalid("not an address"));
    }

    /**
     * The archive searches a message's original text, which may hold contact details the seller never saw; matches
     * there alone would tell a seller that a buyer's number or address contains what it typed. So a keyword must be in
     * the subject or the text as the seller got them (or, for its own blocked message, sent them); the others go.
     */
    private List<ArchivedMessage> asTheSellerSawThem(List<ArchivedMessage> candidates, String keyword) {
        String k = keyword.toLowerCase(java.util.Locale.ROOT);
        List<ArchivedMessage> kept = new ArrayList<>();
        for (ArchivedMessage m : candidates) {
            String subject = subjectAsDelivered.apply(m.subject() == null ? "" : m.subject());
            if (subject.toLowerCase(java.util.Locale.ROOT).contains(k)) {
                kept.add(m);
                continue;
            }
            String text = archive.raw(m.id(), "BLOCKED".equals(m.status()) ? "original" : "delivered")
                    .map(raw -> MessageView.of(raw).text()).orElse("");
            if (text.toLowerCase(java.util.Locale.ROOT).contains(k)) {
                kept.add(m);
            }
        }
        return kept;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** The start of a day ({@code yyyy-mm-dd}, UTC) plus {@code plusDays}; null when absent or not a date. */
    private static java.time.Instant day(String s, int plusDays) {
        try {
            return s == null || s.isBlank() ? null
                    : java.time.LocalDate.parse(s.strip()).plusDays(plusDays).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /**
     * SPEC §10: everything between the seller and one buyer alias, both ways, oldest first, with the pair's orders and
     * a reply form. A {@code POST} sends the reply through intake, as if the seller had sent it by SMTP: the same
     * policy, rewrite, archive and queue; a refusal is shown with its reason.
     */
    private Pages.Page conversation(HttpExchange ex, Pages.Asked asked, ConsoleAccess.Session session, String rawAlias)
            throws IOException {
        String alias = decoded(rawAlias).toLowerCase(java.util.Locale.ROOT);
        Optional<org.postfach.directory.AliasOwner> owner = directory.owner(alias)
                .filter(o -> !o.isSellerAlias() && o.seller().id().equals(session.sellerId()));
        if (owner.isEmpty()) {
            return Pages.Page.plain(404, "Not found."); // another seller's alias answers like an unknown one
        }
        Map<String, String> t = Pages.texts("console", asked.lang());
        String problem = null;
        String subject = "";
        String text = "";
        if (asked.post()) {
            if (!sameToken(session.csrf(), asked.form().get("csrf"))) {
                return Pages.Page.plain(403, "This form has expired. Please reload the page and try again.");
            }
            String action = asked.form().getOrDefault("action", "reply");
            if (!action.equals("reply")) {
                return act(ex, asked, session, alias, action);
            }
            subject = asked.form().getOrDefault("subject", "").strip();
            if ("on".equals(asked.form().get("additional"))) {
                // SPEC §10: the chosen subject that passes a buyer's opt-out like [Wichtig] (policy.ImportantTags)
                subject = org.postfach.policy.ImportantTags.ADDITIONAL_INFORMATION.get("de".equals(asked.lang()) ? 1 : 0);
            }
            text = asked.form().getOrDefault("text", "");
            if (subject.isEmpty() || text.isBlank()) {
                problem = t.get("replyEmpty");
            } else if (subject.length() > MAX_SUBJECT || text.length() > MAX_TEXT) {
                problem = t.get("replyTooLong");
            } else {
                org.postfach.mail.SmtpReply reply = send(owner.get(), subject, text, asked.form().get("inReplyTo"),
                        asked.uploads());
                if (reply.positive()) {
                    return redirect(ex, CONVERSATION + alias + "?sent=1" + ("de".equals(asked.lang()) ? "&lang=de" : ""));
                }
                problem = t.get("replyRefused") + " " + reply.text();
            }
        }
        List<ArchivedMessage> found = new ArrayList<>(archive.search(new org.postfach.archive.Query(session.sellerId(),
                alias, null, null, null, null, null, null, CONVERSATION_LIMIT, null)).items());
        java.util.Collections.reverse(found); // oldest first
        List<Map<String, Object>> messages = new ArrayList<>();
        String lastFromBuyer = null;
        for (ArchivedMessage m : found) {
            boolean fromBuyer = "buyer-to-seller".equals(m.route());
            if (!fromBuyer && !"seller-to-buyer".equals(m.route()) && !"carrier-to-buyer".equals(m.route())) {
                continue; // notices and reports belong to the seller's mailbox, not to the conversation
            }
            // the buyer's messages as the seller got them; the seller's own as they went out (or, when blocked,
            // as they came: they are the seller's own words)
            MessageView view = MessageView.of(archive.raw(m.id(), "BLOCKED".equals(m.status()) ? "original"
                    : "delivered").orElse(new byte[0]));
            Map<String, Object> row = new HashMap<>();
            row.put("fromBuyer", fromBuyer);
            row.put("subject", subjectAsDelivered.apply(m.subject() == null ? "" : m.subject()));
            row.put("received", DATE.format(m.receivedAt()));
            row.put("status", m.status());
            row.put("blockedRule", m.blockedRule());
            row.put("awaiting", m.responseRequired());
            row.put("id", Long.toString(m.id()));
            row.put("noResponseNeeded", m.noResponseNeeded());
            row.put("text", fromBuyer ? withoutActions(view.text()) : view.text());
            row.put("html", view.html()); // sanitized: shown as it is
            row.put("attachments", view.attachments());
            row.put("base", CONVERSATION + alias + "/a/" + m.id() + "/");
            messages.add(row);
            if (fromBuyer) {
                lastFromBuyer = m.relayMessageId();
            }
        }
        if (subject.isEmpty() && !found.isEmpty()) {
            String last = subjectAsDelivered.apply(found.get(found.size() - 1).subject());
            subject = last.regionMatches(true, 0, "Re:", 0, 3) ? last : "Re: " + last;
        }
        Map<String, Object> model = new HashMap<>();
        model.put("lang", asked.lang());
        model.put("t", t);
        model.put("seller", owner.get().seller().name());
        model.put("alias", alias);
        model.put("orders", directory.orders(session.sellerId(), owner.get().buyer().id()).stream()
                .map(org.postfach.directory.Order::id).toList());
        model.put("messages", messages);
        model.put("csrf", session.csrf());
        model.put("inReplyTo", lastFromBuyer);
        model.put("subject", subject);
        model.put("text", problem == null ? "" : text);
        model.put("problem", problem);
        model.put("sent", "1".equals(asked.query().get("sent")));
        model.put("done", asked.query().get("done"));
        model.put("reasons", org.postfach.archive.Report.REASONS);
        return Pages.render(conversationPage, problem == null ? 200 : 400, model);
    }

    /**
     * SPEC §10's actions on a buyer message of this conversation: "No response needed", and "Report" with a reason.
     * The message must be this seller's buyer message on this alias; anything else is a 404.
     */
    private Pages.Page act(HttpExchange ex, Pages.Asked asked, ConsoleAccess.Session session, String alias,
                           String action) {
        Optional<ArchivedMessage> m;
        try {
            m = archive.message(Long.parseLong(asked.form().getOrDefault("message", "")));
        } catch (NumberFormatException e) {
            m = Optional.empty();
        }
        m = m.filter(x -> session.sellerId().equals(x.sellerId()) && alias.equalsIgnoreCase(x.buyerAlias())
                && "buyer-to-seller".equals(x.route()) && x.purgedAt() == null);
        if (m.isEmpty()) {
            return Pages.Page.plain(404, "Not found.");
        }
        String back = CONVERSATION + alias + "?done=" + action + ("de".equals(asked.lang()) ? "&lang=de" : "");
        if (action.equals("no-response")) {
            archive.markNoResponseNeeded(m.get().id());
            LOG.info("message {} marked no response needed by its seller {} in the console", m.get().id(),
                    session.sellerId());
            return redirect(ex, back);
        }
        String reason = asked.form().getOrDefault("reason", "");
        if (action.equals("report") && org.postfach.archive.Report.REASONS.contains(reason)) {
            String note = asked.form().getOrDefault("note", "").strip();
            archive.report(m.get().id(), reason, note.isEmpty() ? null : note.substring(0, Math.min(2000, note.length())));
            LOG.info("message {} reported by its seller {} in the console: {}", m.get().id(), session.sellerId(), reason);
            return redirect(ex, back);
        }
        return Pages.Page.plain(400, "Unknown action or reason.");
    }

    /**
     * SPEC §10: an attachment as a download, {@code /console/c/<alias>/a/<message>/<n>}: from the form the seller got
     * (or, for its own blocked message, the one it sent), as bytes to save, never to show in the page.
     */
    private Pages.Page download(HttpExchange ex, ConsoleAccess.Session session, String rest) {
        String[] parts = rest.split("/", -1); // alias, "a", message id, index
        if (parts.length != 4 || !parts[1].equals("a")) {
            return Pages.Page.plain(404, "Not found.");
        }
        String alias = decoded(parts[0]);
        Optional<ArchivedMessage> m;
        int index;
        try {
            m = archive.message(Long.parseLong(parts[2]));
            index = Integer.parseInt(parts[3]);
        } catch (NumberFormatException e) {
            return Pages.Page.plain(404, "Not found.");
        }
        Optional<MessageView.Attachment> a = m.filter(x -> session.sellerId().equals(x.sellerId())
                        && alias.equalsIgnoreCase(x.buyerAlias()) && x.purgedAt() == null)
                .flatMap(x -> archive.raw(x.id(), "BLOCKED".equals(x.status()) ? "original" : "delivered"))
                .flatMap(raw -> MessageView.attachment(raw, index));
        if (a.isEmpty()) {
            return Pages.Page.plain(404, "Not found.");
        }
        String name = a.get().name().replaceAll("[\\r\\n\"\\\\]", "_");
        ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + name.replaceAll("[^\\x20-\\x7e]", "_")
                + "\"; filename*=UTF-8''" + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
        return new Pages.Page(200, "application/octet-stream", a.get().content());
    }

    /** A path segment, percent-decoded; one that cannot be decoded names nothing (an empty string). */
    private static String decoded(String segment) {
        try {
            return java.net.URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** A buyer message's text without the in-mail actions at its end: in the console they are buttons' business. */
    static String withoutActions(String text) {
        int at = text.lastIndexOf(org.postfach.rewrite.Footer.FIRST_LABEL);
        if (at < 0) {
            return text;
        }
        String before = text.substring(0, at);
        int separator = before.lastIndexOf("\n-- \n");
        return (separator >= 0 && before.substring(separator + 5).isBlank() ? before.substring(0, separator) : before)
                .stripTrailing();
    }

    /** The reply as a message from the seller's registered address to the alias, handed to intake. */
    private org.postfach.mail.SmtpReply send(org.postfach.directory.AliasOwner to, String subject, String text,
                                             String inReplyTo, List<Pages.Upload> uploads) {
        org.postfach.mail.Address from = to.seller().email();
        org.postfach.mail.Address alias = org.postfach.mail.Address.of(to.alias());
        org.postfach.resolve.Resolution r = intake.recipient(Optional.of(from), alias, List.of());
        if (!r.accepted()) {
            return r.refusal();
        }
        byte[] raw;
        try {
            jakarta.mail.internet.MimeMessage m = new jakarta.mail.internet.MimeMessage(
                    jakarta.mail.Session.getInstance(new java.util.Properties()));
            m.setFrom(new jakarta.mail.internet.InternetAddress(from.toString()));
            m.setRecipient(jakarta.mail.Message.RecipientType.TO, new jakarta.mail.internet.InternetAddress(alias.toString()));
            m.setSubject(subject, "UTF-8");
            m.setSentDate(java.util.Date.from(clock.instant()));
            if (inReplyTo != null && inReplyTo.matches("<[^<>\\s]{1,250}>")) {
                m.setHeader("In-Reply-To", inReplyTo);
                m.setHeader("References", inReplyTo);
            }
            String body = text.replace("\r\n", "\n").replace("\n", "\r\n");
            if (uploads.isEmpty()) {
                m.setText(body, "UTF-8");
            } else { // SPEC §10: attachments as in §4 -- the policy judges them as it judges SMTP mail's
                jakarta.mail.internet.MimeMultipart mixed = new jakarta.mail.internet.MimeMultipart("mixed");
                jakarta.mail.internet.MimeBodyPart textPart = new jakarta.mail.internet.MimeBodyPart();
                textPart.setText(body, "UTF-8");
                mixed.addBodyPart(textPart);
                for (Pages.Upload u : uploads) {
                    jakarta.mail.internet.MimeBodyPart file = new jakarta.mail.internet.MimeBodyPart();
                    file.setDataHandler(new jakarta.activation.DataHandler(new jakarta.mail.util.ByteArrayDataSource(
                            u.content(), "application/octet-stream")));
                    String name = u.fileName().substring(Math.max(u.fileName().lastIndexOf('/'),
                            u.fileName().lastIndexOf('\\')) + 1).replaceAll("\\p{Cntrl}", "");
                    file.setFileName(jakarta.mail.internet.MimeUtility.encodeText(
                            name.isEmpty() ? "attachment" : name, "UTF-8", null));
                    file.setDisposition(jakarta.mail.Part.ATTACHMENT);
                    // base64 always: with 7bit or 8bit, a file's bare line feeds became CRLF on the way (SMTP lines)
                    file.setHeader("Content-Transfer-Encoding", "base64");
                    mixed.addBodyPart(file);
                }
                m.setContent(mixed);
            }
            m.saveChanges();
            m.setHeader("Message-ID", "<" + java.util.UUID.randomUUID() + ".console@" + from.domain() + ">");
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            m.writeTo(out);
            raw = out.toByteArray();
        } catch (jakarta.mail.MessagingException | IOException e) {
            throw new IllegalStateException("a reply could not be put into MIME form", e);
        }
        org.postfach.mail.SmtpReply reply = intake.accept(new org.postfach.mail.Envelope("console", "console",
                Optional.of(from), Optional.of(to.seller().id())), List.of(r.route()), raw);
        LOG.info("console reply of seller {} to {}: {}", to.seller().id(), to.alias(), reply.code());
        return reply;
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
        return cookie(ex, COOKIE);
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

    private static boolean sameToken(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }
}
