package org.postfach.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.postfach.archive.Archive;
import org.postfach.archive.ArchivedMessage;
import org.postfach.archive.Report;
import org.postfach.links.Links;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SPEC §10, the in-mail actions: every buyer message delivered to a seller ends with two links,
 * {@code {web.publicUrl}/action/<token>}, "No response needed" and "Report this message", valid {@code web.linkDays}.
 * Opening one ({@code GET}) shows the message's subject, its buyer alias and date, and one button; only that button's
 * {@code POST} acts, so mail scanners that open links change nothing. No sign-in: the sealed token names the message
 * (by its relay Message-ID), the seller and the action, and the message must be that seller's buyer message still.
 */
public final class ActionPage implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ActionPage.class);
    private static final int MAX_NOTE = 2000;
    private final Links links;
    private final Archive archive;
    private final java.util.function.UnaryOperator<String> subjectAsDelivered;
    private final Clock clock;
    private final PebbleTemplate template = Pages.template("action.peb");

    /** {@code subjectAsDelivered}: the subject as the seller got it (SPEC §4, contact details removed). */
    public ActionPage(Links links, Archive archive, java.util.function.UnaryOperator<String> subjectAsDelivered,
                      Clock clock) {
        this.links = links;
        this.archive = archive;
        this.subjectAsDelivered = subjectAsDelivered;
        this.clock = clock;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        Pages.serve(ex, "action", asked -> answer(ex, asked));
    }

    private Pages.Page answer(HttpExchange ex, Pages.Asked asked) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        String token = path.startsWith(Links.ACTION_PATH) ? path.substring(Links.ACTION_PATH.length()) : "";
        Optional<Links.Link> link = links.read(token, clock.instant())
                .filter(l -> l.action() == Links.Action.NO_RESPONSE_NEEDED || l.action() == Links.Action.REPORT);
        Optional<ArchivedMessage> found = link.flatMap(l -> archive.messageByRelayId(l.subject())
                .filter(m -> l.party().equals(m.sellerId()) && "buyer-to-seller".equals(m.route())
                        && m.purgedAt() == null));
        Map<String, Object> model = new HashMap<>();
        String lang = asked.lang();
        model.put("lang", lang);
        Map<String, String> t = Pages.texts("action", lang);
        model.put("t", t);
        if (found.isEmpty()) {
            model.put("state", "invalid");
            return Pages.render(template, 404, model);
        }
        ArchivedMessage m = found.get();
        boolean report = link.get().action() == Links.Action.REPORT;
        model.put("state", report ? "report" : "no-response");
        // not the archived original as it is: it may hold contact details the seller never got
        model.put("subject", subjectAsDelivered.apply(m.subject() == null ? "" : m.subject()));
        model.put("alias", m.buyerAlias());
        model.put("received", Console.DATE.format(m.receivedAt()));
        model.put("reasons", Report.REASONS);
        int status = 200;
        if (asked.post() && report) {
            String reason = asked.form().getOrDefault("reason", "");
            String note = asked.form().getOrDefault("note", "").strip();
            if (!Report.REASONS.contains(reason) || note.length() > MAX_NOTE) { // (List.of rejects a null)
                model.put("problem", t.get(Report.REASONS.contains(reason) ? "noteTooLong" : "noReason"));
                status = 400;
            } else {
                archive.report(m.id(), reason, note.isEmpty() ? null : note);
                LOG.info("message {} reported by its seller {} by link: {}", m.id(), m.sellerId(), reason);
                model.put("done", t.get("reportDone"));
            }
        } else if (asked.post()) {
            archive.markNoResponseNeeded(m.id());
            LOG.info("message {} marked no response needed by its seller {} by link", m.id(), m.sellerId());
            model.put("done", t.get("noResponseDone"));
        }
        boolean awaiting = archive.message(m.id()).map(ArchivedMessage::responseRequired).orElse(false);
        model.put("awaiting", awaiting);
        return Pages.render(template, status, model);
    }
}
