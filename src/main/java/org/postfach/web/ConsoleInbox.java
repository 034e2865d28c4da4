package org.postfach.web;

import com.sun.net.httpserver.HttpExchange;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postfach.archive.ArchivedMessage;
import org.postfach.directory.ConsoleAccess;
import org.postfach.directory.Seller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's inbox (SPEC §10): by default the buyer messages that await a response, oldest first, with their age;
 * the other views newest first, with search; and "Write to", which opens a conversation by alias or order number.
 */
final class ConsoleInbox {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleInbox.class);
    private static final int INBOX_LIMIT = 500;
    /** A keyword search reads each candidate's stored form: it looks at the newest this many. */
    private static final int KEYWORD_CANDIDATES = 100;
    static final List<String> VIEWS = List.of("awaiting", "all", "sent", "blocked", "reported");
    private final PebbleTemplate page = Pages.template("console-inbox.peb");
    private final Console c;

    ConsoleInbox(Console c) {
        this.c = c;
    }

    /**
     * SPEC §10's inbox: by default the buyer messages that await a response, oldest first, with their age; the other
     * views (all, sent, blocked with its rule, reported) newest first, narrowed by order number, alias and dates.
     */
    Pages.Page inbox(Pages.Asked asked, ConsoleAccess.Session session) throws IOException {
        String lang = asked.lang();
        Seller seller = c.directory.seller(session.sellerId());
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
            found = c.archive.awaitingResponse(seller.id(), INBOX_LIMIT);
        } else if (view.equals("reported")) {
            found = c.archive.reported(seller.id(), INBOX_LIMIT);
        } else {
            found = c.archive.search(new org.postfach.archive.Query(seller.id(), alias == null ? null
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
            row.put("link", m.buyerAlias() == null ? "" : Console.CONVERSATION + m.buyerAlias());
            row.put("route", m.route());
            row.put("subject", c.subject(m));
            row.put("order", m.orderId() == null ? "" : m.orderId());
            row.put("received", Console.DATE.format(m.receivedAt()));
            row.put("age", Console.age(Duration.between(m.receivedAt(), c.clock.instant()), lang));
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
        return Pages.render(page, 200, model);
    }

    /**
     * SPEC §10's compose: to one of the seller's buyer aliases, named by the alias or by an order number of the pair;
     * the conversation's form then writes the message (a conversation without messages yet is just that form).
     */
    Pages.Page write(HttpExchange ex, Pages.Asked asked, ConsoleAccess.Session session) {
        String to = asked.query().getOrDefault("to", "").strip();

        Optional<String> alias = c.directory.owner(to.toLowerCase(java.util.Locale.ROOT))
                .filter(o -> !o.isSellerAlias() && o.seller().id().equals(session.sellerId()))
                .map(org.postfach.directory.AliasOwner::alias);
        if (alias.isEmpty() && !to.isEmpty()) {
            alias = c.directory.order(to).filter(o -> o.sellerId().equals(session.sellerId()))
                    .map(o -> c.directory.buyerAlias(o.sellerId(), o.buyerId()));
        }
        return alias.isPresent()
                ? Console.redirect(ex, Console.CONVERSATION + alias.get() + Console.lang(asked.lang(), '?'))
                : Console.redirect(ex, Console.PATH + "/?unknown=1" + Console.lang(asked.lang(), '&'));
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
            String subject = c.subject(m);
            if (subject.toLowerCase(java.util.Locale.ROOT).contains(k)) {
                kept.add(m);
                continue;
            }
            String text = c.shown(m)
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
}
