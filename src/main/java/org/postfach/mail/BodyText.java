package org.postfach.mail;

import jakarta.mail.Multipart;
import jakarta.mail.Part;
import java.io.IOException;
import java.util.Locale;
import org.jsoup.Jsoup;

/**
 * The decoded text of a message's body parts, in order: text/plain as it is, text/html reduced to its text.
 * Attachments (named or {@code Content-Disposition: attachment}) and attached messages are not body text.
 * Parts that cannot be decoded are skipped: this feeds rules, it never refuses anything by itself.
 */
final class BodyText {
    private static final int MAX_DEPTH = 10;

    private BodyText() {
    }

    static void append(Part part, StringBuilder out, int depth) {
        if (depth > MAX_DEPTH || out.length() >= MessageFacts.MAX_TEXT) {
            return;
        }
        try {
            if (part.isMimeType("multipart/*")) {
                Multipart mp = (Multipart) part.getContent();
                for (int i = 0; i < mp.getCount(); i++) {
                    append(mp.getBodyPart(i), out, depth + 1);
                }
                return;
            }
            if (!part.isMimeType("text/plain") && !part.isMimeType("text/html") || isAttachment(part)) {
                return;
            }
            Object content = part.getContent();
            if (!(content instanceof String s)) {
                return;
            }
            String text = part.isMimeType("text/html") ? Jsoup.parse(s).text() : s;
            int room = MessageFacts.MAX_TEXT - out.length();
            out.append(text, 0, Math.min(text.length(), room)).append('\n');
        } catch (IOException | jakarta.mail.MessagingException | RuntimeException e) {
            // unreadable part: no text from it
        }
    }

    private static boolean isAttachment(Part part) throws jakarta.mail.MessagingException {
        String disposition = part.getDisposition();
        return disposition != null && disposition.toLowerCase(Locale.ROOT).equals(Part.ATTACHMENT)
                || part.getFileName() != null;
    }
}
