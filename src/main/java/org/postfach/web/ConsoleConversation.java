package org.postfach.web;

import com.sun.net.httpserver.HttpExchange;
import jakarta.activation.DataHandler;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postfach.archive.ArchivedMessage;
import org.postfach.archive.Query;
import org.postfach.archive.Report;
import org.postfach.directory.AliasOwner;
import org.postfach.directory.Order;
import org.postfach.mail.Address;
import org.postfach.mail.Envelope;
import org.postfach.mail.SmtpReply;
import org.postfach.policy.ImportantTags;
import org.postfach.resolve.Resolution;
import org.postfach.rewrite.Footer;
import org.postfach.directory.ConsoleAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A conversation in the console (SPEC §10): everything between the seller and one buyer alias, its actions, its
 * attachments as downloads, and the reply form -- the console's front door to intake.
 */
final class ConsoleConversation {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleConversation.class);
    private static final int CONVERSATION_LIMIT = 200;
    private static final int MAX_SUBJECT = 200;
    private static final int MAX_TEXT = 100_000;
    private final PebbleTemplate page = Pages.template("console-conversation.peb");
    private final Console c;

    ConsoleConversation(Console c) {
        this.c = c;
    }

    /**
     * SPEC §10: everything between the seller and one buyer alias, both ways, oldest first, with the pair's orders and
     * a reply form. A {@code POST} sends the reply through intake, as if the seller had sent it by SMTP: the same
     * policy, rewrite, archive and queue; a refusal is shown with its reason.
     */
    Pages.Page conversation(HttpExchange ex, Pages.Asked asked, ConsoleAccess.Session session, String rawAlias)
            throws IOException {
        String alias = Console.decoded(rawAlias).toLowerCase(java.util.Locale.ROOT);
        Optional<AliasOwner> owner = c.directory.owner(alias)
                .filter(o -> !o.isSellerAlias() && o.seller().id().equals(session.sellerId()));
        if (owner.isEmpty()) {
            return Pages.Page.plain(404, "Not found."); // another seller's alias answers like an unknown one
        }
        Map<String, String> t = Pages.texts("console", asked.lang());
        String problem = null;
        String subject = "";
        String text = "";
        if (asked.post()) {
            if (!Console.sameToken(session.csrf(), asked.form().get("csrf"))) {
                return Console.expired();
            }
            String action = asked.form().getOrDefault("action", "reply");
            if (!action.equals("reply")) {
                return act(ex, asked, session, alias, action);
            }
            subject = asked.form().getOrDefault("subject", "").strip();
            if ("on".equals(asked.form().get("additional"))) {
                // SPEC §10: the chosen subject that passes a buyer's opt-out like [Wichtig] (policy.ImportantTags)
                subject = ImportantTags.ADDITIONAL_INFORMATION.get("de".equals(asked.lang()) ? 1 : 0);
            }
            text = asked.form().getOrDefault("text", "");
            if (subject.isEmpty() || text.isBlank()) {
                problem = t.get("replyEmpty");
            } else if (subject.length() > MAX_SUBJECT || text.length() > MAX_TEXT) {
                problem = t.get("replyTooLong");
            } else {
                SmtpReply reply = send(owner.get(), subject, text, asked.form().get("inReplyTo"),
                        asked.uploads());
                if (reply.positive()) {
                    return Console.redirect(ex,
                            Console.CONVERSATION + alias + "?sent=1" + Console.lang(asked.lang(), '&'));
                }
                problem = t.get("replyRefused") + " " + reply.text();
            }
        }
        List<ArchivedMessage> found = new ArrayList<>(c.archive.search(new Query(session.sellerId(),
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
            MessageView view = MessageView.of(c.shown(m).orElse(new byte[0]));
            Map<String, Object> row = new HashMap<>();
            row.put("fromBuyer", fromBuyer);
            row.put("subject", c.subject(m));
            row.put("received", Console.DATE.format(m.receivedAt()));
            row.put("status", m.status());
            row.put("blockedRule", m.blockedRule());
            row.put("awaiting", m.responseRequired());
            row.put("id", Long.toString(m.id()));
            row.put("noResponseNeeded", m.noResponseNeeded());
            row.put("text", fromBuyer ? withoutActions(view.text()) : view.text());
            row.put("html", view.html()); // sanitized: shown as it is
            row.put("attachments", view.attachments());
            row.put("base", Console.CONVERSATION + alias + "/a/" + m.id() + "/");
            messages.add(row);
            if (fromBuyer) {
                lastFromBuyer = m.relayMessageId();
            }
        }
        if (subject.isEmpty() && !found.isEmpty()) {
            String last = c.subject(found.get(found.size() - 1));
            subject = last.regionMatches(true, 0, "Re:", 0, 3) ? last : "Re: " + last;
        }
        Map<String, Object> model = new HashMap<>();
        model.put("lang", asked.lang());
        model.put("t", t);
        model.put("seller", owner.get().seller().name());
        model.put("alias", alias);
        model.put("orders", c.directory.orders(session.sellerId(), owner.get().buyer().id()).stream()
                .map(Order::id).toList());
        model.put("messages", messages);
        model.put("csrf", session.csrf());
        model.put("inReplyTo", lastFromBuyer);
        model.put("subject", subject);
        model.put("text", problem == null ? "" : text);
        model.put("problem", problem);
        model.put("sent", "1".equals(asked.query().get("sent")));
        model.put("done", asked.query().get("done"));
        model.put("reasons", Report.REASONS);
        return Pages.render(page, problem == null ? 200 : 400, model);
    }

    /**
     * SPEC §10's actions on a buyer message of this conversation: "No response needed", and "Report" with a reason.
     * The message must be this seller's buyer message on this alias; anything else is a 404.
     */
    private Pages.Page act(HttpExchange ex, Pages.Asked asked, ConsoleAccess.Session session, String alias,
                           String action) {
        Optional<ArchivedMessage> m;
        try {
            m = c.archive.message(Long.parseLong(asked.form().getOrDefault("message", "")));
        } catch (NumberFormatException e) {
            m = Optional.empty();
        }
        m = m.filter(x -> session.sellerId().equals(x.sellerId()) && alias.equalsIgnoreCase(x.buyerAlias())
                && "buyer-to-seller".equals(x.route()) && x.purgedAt() == null);
        if (m.isEmpty()) {
            return Pages.Page.plain(404, "Not found.");
        }
        String back = Console.CONVERSATION + alias + "?done=" + action + Console.lang(asked.lang(), '&');
        if (action.equals("no-response")) {
            c.archive.markNoResponseNeeded(m.get().id());
            LOG.info("message {} marked no response needed by its seller {} in the console", m.get().id(),
                    session.sellerId());
            return Console.redirect(ex, back);
        }
        String reason = asked.form().getOrDefault("reason", "");
        if (action.equals("report") && Report.REASONS.contains(reason)) {
            String note = asked.form().getOrDefault("note", "").strip();
            c.archive.report(m.get().id(), reason,
                    note.isEmpty() ? null : note.substring(0, Math.min(2000, note.length())));
            LOG.info("message {} reported by its seller {} in the console: {}", m.get().id(), session.sellerId(),
                    reason);
            return Console.redirect(ex, back);
        }
        return Pages.Page.plain(400, "Unknown action or reason.");
    }

    /**
     * SPEC §10: an attachment as a download, {@code /console/c/<alias>/a/<message>/<n>}: from the form the seller got
     * (or, for its own blocked message, the one it sent), as bytes to save, never to show in the page.
     */
    Pages.Page download(HttpExchange ex, ConsoleAccess.Session session, String rest) {
        String[] parts = rest.split("/", -1); // alias, "a", message id, index
        if (parts.length != 4 || !parts[1].equals("a")) {
            return Pages.Page.plain(404, "Not found.");
        }
        String alias = Console.decoded(parts[0]);
        Optional<ArchivedMessage> m;
        int index;
        try {
            m = c.archive.message(Long.parseLong(parts[2]));
            index = Integer.parseInt(parts[3]);
        } catch (NumberFormatException e) {
            return Pages.Page.plain(404, "Not found.");
        }
        Optional<MessageView.Attachment> a = m.filter(x -> session.sellerId().equals(x.sellerId())
                        && alias.equalsIgnoreCase(x.buyerAlias()) && x.purgedAt() == null)
                .flatMap(c::shown)
                .flatMap(raw -> MessageView.attachment(raw, index));
        if (a.isEmpty()) {
            return Pages.Page.plain(404, "Not found.");
        }
        String name = a.get().name().replaceAll("[\\r\\n\"\\\\]", "_");
        ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\""
                + name.replaceAll("[^\\x20-\\x7e]", "_") + "\"; filename*=UTF-8''"
                + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
        return new Pages.Page(200, "application/octet-stream", a.get().content());
    }

    /** A buyer message's text without the in-mail actions at its end: in the console they are buttons' business. */
    static String withoutActions(String text) {
        int at = text.lastIndexOf(Footer.FIRST_LABEL);
        if (at < 0) {
            return text;
        }
        String before = text.substring(0, at);
        int separator = before.lastIndexOf("\n-- \n");
        return (separator >= 0 && before.substring(separator + 5).isBlank() ? before.substring(0, separator) : before)
                .stripTrailing();
    }

    /** The reply as a message from the seller's registered address to the alias, handed to c.intake. */
    private SmtpReply send(AliasOwner to, String subject, String text,
                                             String inReplyTo, List<Pages.Upload> uploads) {
        Address from = to.seller().email();
        Address alias = Address.of(to.alias());
        Resolution r = c.intake.recipient(Optional.of(from), alias, List.of());
        if (!r.accepted()) {
            return r.refusal();
        }
        byte[] raw;
        try {
            MimeMessage m = new MimeMessage(
                    jakarta.mail.Session.getInstance(new java.util.Properties()));
            m.setFrom(new InternetAddress(from.toString()));
            m.setRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress(alias.toString()));
            m.setSubject(subject, "UTF-8");
            m.setSentDate(java.util.Date.from(c.clock.instant()));
            if (inReplyTo != null && inReplyTo.matches("<[^<>\\s]{1,250}>")) {
                m.setHeader("In-Reply-To", inReplyTo);
                m.setHeader("References", inReplyTo);
            }
            String body = text.replace("\r\n", "\n").replace("\n", "\r\n");
            if (uploads.isEmpty()) {
                m.setText(body, "UTF-8");
            } else { // SPEC §10: attachments as in §4 -- the policy judges them as it judges SMTP mail's
                MimeMultipart mixed = new MimeMultipart("mixed");
                MimeBodyPart textPart = new MimeBodyPart();
                textPart.setText(body, "UTF-8");
                mixed.addBodyPart(textPart);
                for (Pages.Upload u : uploads) {
                    MimeBodyPart file = new MimeBodyPart();
                    file.setDataHandler(new DataHandler(new ByteArrayDataSource(
                            u.content(), "application/octet-stream")));
                    String name = u.fileName().substring(Math.max(u.fileName().lastIndexOf('/'),
                            u.fileName().lastIndexOf('\\')) + 1).replaceAll("\\p{Cntrl}", "");
                    file.setFileName(MimeUtility.encodeText(
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
        SmtpReply reply = c.intake.accept(new Envelope("console", "console",
                Optional.of(from), Optional.of(to.seller().id())), List.of(r.route()), raw);
        LOG.info("console reply of seller {} to {}: {}", to.seller().id(), to.alias(), reply.code());
        return reply;
    }
}
