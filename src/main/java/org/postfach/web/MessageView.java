package org.postfach.web;

import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What the console shows of a stored message (SPEC §10): its text (the first text/plain part; else the text of the
 * first HTML part, tags dropped, so nothing of it is loaded or run) and its attachments' names.
 */
record MessageView(String text, String html, List<String> attachments) {
    /** What of a message's HTML is shown: text, emphasis, lists, quotes and links; no images, styles or scripts. */
    private static final org.jsoup.safety.Safelist SHOWN = org.jsoup.safety.Safelist.basic();

    private static final Session SESSION = Session.getInstance(new Properties());
    private static final int MAX_DEPTH = 20;

    /** An attachment's name and content, for a download. */
    record Attachment(String name, byte[] content) {
    }

    /** The {@code index}-th attachment (in the order {@link #attachments()} names them), if there is one. */
    static Optional<Attachment> attachment(byte[] raw, int index) {
        try {
            MimeMessage m = new MimeMessage(SESSION, new ByteArrayInputStream(raw));
            List<Part> found = leaves(m).stream().filter(MessageView::isAttachment).toList();
            if (index < 0 || index >= found.size()) {
                return Optional.empty();
            }
            Part p = found.get(index);
            try (java.io.InputStream in = p.getInputStream()) {
                return Optional.of(new Attachment(p.getFileName() == null ? "attachment" : p.getFileName(),
                        in.readAllBytes()));
            }
        } catch (MessagingException | IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The message's parts that are not multiparts, in order (multiparts nested at most {@link #MAX_DEPTH} deep). */
    private static List<Part> leaves(Part message) throws MessagingException, IOException {
        List<Part> out = new ArrayList<>();
        leaves(message, 0, out);
        return out;
    }

    private static void leaves(Part p, int depth, List<Part> out) throws MessagingException, IOException {
        if (p.isMimeType("multipart/*") && depth < MAX_DEPTH) {
            Multipart mp = (Multipart) p.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                leaves(mp.getBodyPart(i), depth + 1, out);
            }
        } else {
            out.add(p);
        }
    }

    /** An attachment: so disposed, or named; its text is never shown. */
    private static boolean isAttachment(Part p) {
        try {
            return Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition()) || p.getFileName() != null;
        } catch (MessagingException e) {
            return false;
        }
    }

    static MessageView of(byte[] raw) {
        try {
            MimeMessage m = new MimeMessage(SESSION, new ByteArrayInputStream(raw));
            String[] text = {null, null}; // plain, html
            List<String> attachments = new ArrayList<>();
            for (Part p : leaves(m)) {
                if (isAttachment(p)) {
                    attachments.add(p.getFileName() == null ? "attachment" : p.getFileName());
                } else if (p.isMimeType("text/plain") && text[0] == null) {
                    text[0] = String.valueOf(p.getContent());
                } else if (p.isMimeType("text/html") && text[1] == null) {
                    text[1] = String.valueOf(p.getContent());
                }
            }
            String shown = text[0] != null ? text[0]
                    : text[1] != null ? org.jsoup.Jsoup.parse(text[1]).wholeText().strip() : "";
            String html = text[1] == null ? null : org.jsoup.Jsoup.clean(withoutFooter(text[1]), SHOWN);
            return new MessageView(shown.replace("\r\n", "\n"), html, attachments);
        } catch (MessagingException | IOException | RuntimeException e) {
            return new MessageView("", null, List.of()); // unreadable: nothing shown rather than a failed page
        }
    }

    /** The HTML without the in-mail actions' block that the relay put at its end (they are buttons in the console). */
    static String withoutFooter(String html) {
        int at = html.lastIndexOf(org.postfach.rewrite.Footer.HTML_START);
        if (at < 0) {
            return html;
        }
        int end = html.indexOf("</div>", at);
        return end < 0 ? html.substring(0, at) : html.substring(0, at) + html.substring(end + "</div>".length());
    }
}
