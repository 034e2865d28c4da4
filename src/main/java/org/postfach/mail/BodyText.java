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

    /**
     * The text of a message: each part's text followed by a line break, joined once at the end into a string of
     * the exact size (a growing buffer copied a large body's text several times).
     */
    static String of(Part message) {
        Texts out = new Texts();
        append(message, out, 0);
        java.util.StringJoiner all = new java.util.StringJoiner("\n", "", out.texts.isEmpty() ? "" : "\n");
        out.texts.forEach(all::add);
        return all.toString();
    }

    /** The texts found so far and their length. */
    private static final class Texts {
        final java.util.List<String> texts = new java.util.ArrayList<>();
        int length;

        void add(String text) {
            texts.add(text);
            length += text.length() + 1;
        }
    }

    private static void append(Part part, Texts out, int depth) {
        if (depth > MAX_DEPTH || out.length >= MessageFacts.MAX_TEXT) {
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
            int room = MessageFacts.MAX_TEXT - out.length;
            boolean html = part.isMimeType("text/html");
            // only as much as the rules look at (HTML: four times that, for its markup); reading a 10 MB part
            // whole made a 40 MB char array per message
            String s = read(part, html ? 4 * room : room);
            String text = html ? Jsoup.parse(s).text() : s;
            out.add(text.length() <= room ? text : text.substring(0, room));
        } catch (IOException | jakarta.mail.MessagingException | RuntimeException e) {
            // unreadable part: no text from it
        }
    }

    /** The text of a part's first {@code max} bytes (so at most that many characters), decoded with its charset. */
    private static String read(Part part, int max) throws IOException, jakarta.mail.MessagingException {
        java.nio.charset.Charset charset;
        try {
            String name = new jakarta.mail.internet.ContentType(part.getContentType()).getParameter("charset");
            charset = name == null ? java.nio.charset.StandardCharsets.UTF_8
                    : java.nio.charset.Charset.forName(jakarta.mail.internet.MimeUtility.javaCharset(name));
        } catch (jakarta.mail.internet.ParseException | IllegalArgumentException e) {
            charset = java.nio.charset.StandardCharsets.UTF_8;
        }
        // bytes first, then one String: decoding through a Reader into a StringBuilder cost twice as much; a
        // character takes at least one byte, so max bytes hold at most max characters
        try (java.io.InputStream in = part.getInputStream()) {
            String text = new String(readUpTo(in, max), charset);
            return text.length() <= max ? text : text.substring(0, max);
        }
    }

    /**
     * At most {@code max} bytes of a stream. A part that is not transfer-encoded is read from the message's own
     * array, which knows how much is left: then it goes into one array of its size (readNBytes(max) collects 8 KB
     * pieces and copies them into one).
     */
    static byte[] readUpTo(java.io.InputStream in, int max) throws IOException {
        int left = in.available();
        if (left <= 0 || left > max) {
            return in.readNBytes(max);
        }
        byte[] b = new byte[left];
        int n = in.readNBytes(b, 0, left);
        if (n < left) {
            return java.util.Arrays.copyOf(b, n); // available() was more than there was
        }
        if (n == max) {
            return b;
        }
        int next = in.read();
        if (next < 0) {
            return b;
        }
        byte[] more = in.readNBytes(max - n - 1); // available() was less than there was
        byte[] all = java.util.Arrays.copyOf(b, n + 1 + more.length);
        all[n] = (byte) next;
        System.arraycopy(more, 0, all, n + 1, more.length);
        return all;
    }

    private static boolean isAttachment(Part part) throws jakarta.mail.MessagingException {
        String disposition = part.getDisposition();
        return disposition != null && disposition.toLowerCase(Locale.ROOT).equals(Part.ATTACHMENT)
                || part.getFileName() != null;
    }
}
