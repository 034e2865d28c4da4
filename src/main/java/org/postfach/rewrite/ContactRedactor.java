package org.postfach.rewrite;

import jakarta.mail.internet.ContentType;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import org.postfach.mail.ByteScan;
import org.postfach.mail.MessageBytes;

/**
 * SPEC §4 contact details: replaces e-mail addresses (other than aliases) and phone numbers by
 * {@code [removed]} in the text/plain and text/html body parts of a message, whatever their charset and
 * transfer encoding. Works on the raw bytes: a part that does not change, every attachment and every attached
 * message stay byte for byte, and a message without contact details comes back as the very same array.
 * A changed part keeps its headers, its charset and its transfer encoding.
 */
public final class ContactRedactor {
    private static final int MAX_DEPTH = 20;
    private final ContactScrubber scrubber;
    /** The start of our in-mail action links (SPEC §10), and a pattern for them; null: none are removed. */
    private final String actionLinkPrefix;
    private final java.util.regex.Pattern actionLinks;

    public ContactRedactor(String aliasDomain, String phoneRegion) {
        this(aliasDomain, phoneRegion, null);
    }

    /**
     * {@code actionLinkPrefix}: where the in-mail action links of buyer messages begin ({@code web.publicUrl} and
     * their path). A seller's reply that quotes such a message would hand its links to the buyer; they are removed
     * from every text they come back in, as contact details are (the footer is added after, so it stays).
     */
    public ContactRedactor(String aliasDomain, String phoneRegion, String actionLinkPrefix) {
        this.scrubber = new ContactScrubber(aliasDomain, phoneRegion);
        this.actionLinks = actionLinkPrefix == null ? null
                : java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(actionLinkPrefix) + "[A-Za-z0-9_-]*");
        this.actionLinkPrefix = actionLinkPrefix;
    }

    /** One removed detail: {@code kind} is "email", "phone" or "action-link"; never the removed value itself. */
    public record Removal(String kind, String where) {
    }

    public record Result(byte[] message, List<Removal> removals) {
        public boolean changed() {
            return !removals.isEmpty();
        }
    }

    public Result redact(byte[] message) {
        return redact(message, null);
    }

    /**
     * As {@link #redact(byte[])}, and {@code footer} (when not null) is added to the first text/plain and the first
     * text/html part that is not an attachment (SPEC §10: a buyer message's in-mail actions). Those parts then change.
     */
    public Result redact(byte[] message, Footer footer) {
        List<Removal> removals = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        entity(message, 0, message.length, 0, removals, changes, footer == null ? null : new Footing(footer));
        // a part changes exactly when something was removed from it; everything else stays byte for byte, so an
        // unchanged message is not copied at all
        return changes.isEmpty() ? new Result(message, List.of())
                : new Result(apply(message, changes), List.copyOf(removals));
    }

    /** A footer and whether its text and its HTML form were placed yet. */
    private static final class Footing {
        final Footer footer;
        boolean text;
        boolean html;

        Footing(Footer footer) {
            this.footer = footer;
        }

        /** The footer's way into a part of this type, once per type: null when placed already. */
        java.util.function.UnaryOperator<String> take(String base) {
            if (base.equals("text/html") && !html) {
                html = true;
                return footer::inHtml;
            }
            if (base.equals("text/plain") && !text) {
                text = true;
                return footer::afterText;
            }
            return null;
        }
    }

    /** A text part's body, {@code from} to {@code to} in the message, to be replaced by {@code with}. */
    private record Change(int from, int to, byte[] with) {
    }

    /** The message with its changed part bodies put in (changes come in the order of the message). */
    private static byte[] apply(byte[] d, List<Change> changes) {
        long size = d.length;
        for (Change c : changes) {
            size += c.with().length - (c.to() - c.from());
        }
        byte[] out = new byte[Math.toIntExact(size)];
        int read = 0;
        int written = 0;
        for (Change c : changes) {
            System.arraycopy(d, read, out, written, c.from() - read);
            written += c.from() - read;
            System.arraycopy(c.with(), 0, out, written, c.with().length);
            written += c.with().length;
            read = c.to();
        }
        System.arraycopy(d, read, out, written, d.length - read);
        return out;
    }

    /** Redacts one decoded text, such as the subject. */
    public String redactText(String text, String where, List<Removal> sink) {
        return scrubber.text(text, where, sink);
    }

    private void entity(byte[] d, int start, int end, int depth, List<Removal> removals, List<Change> out,
                        Footing footing) {
        int bodyStart = MessageBytes.bodyStart(d, start, end);
        HeaderBlock h = HeaderBlock.parse(Arrays.copyOfRange(d, start, bodyStart));
        ContentType type = contentType(h.value("Content-Type"));
        String base = type.getBaseType().toLowerCase(Locale.ROOT);
        String boundary = type.getParameter("boundary");
        if (base.startsWith("multipart/") && boundary != null && depth < MAX_DEPTH) {
            multipart(d, bodyStart, end, boundary, depth, removals, out, footing);
            return;
        }
        boolean text = base.equals("text/plain") || base.equals("text/html");
        if (!text || isAttachment(h, type)) {
            return;
        }
        byte[] changed = textPart(d, bodyStart, end, base, type.getParameter("charset"),
                h.value("Content-Transfer-Encoding"), removals, footing);
        if (changed != null) {
            out.add(new Change(bodyStart, end, changed));
        }
    }

    private void multipart(byte[] d, int start, int end, String boundary, int depth, List<Removal> removals,
                           List<Change> out, Footing footing) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int partStart = -1;
        int pos = start;
        while (pos < end) {
            int lineEnd = indexOf(d, (byte) '\n', pos, end);
            int next = lineEnd < 0 ? end : lineEnd + 1;
            if (startsWith(d, pos, end, delimiter)) {
                int afterDelimiter = pos + delimiter.length;
                boolean close = afterDelimiter + 1 < end && d[afterDelimiter] == '-' && d[afterDelimiter + 1] == '-';
                if (close || isBlankToLineEnd(d, afterDelimiter, next)) {
                    if (partStart >= 0) {
                        // the CRLF before the delimiter belongs to the delimiter (RFC 2046)
                        int partEnd = pos;
                        if (partEnd > partStart && d[partEnd - 1] == '\n') {
                            partEnd--;
                            if (partEnd > partStart && d[partEnd - 1] == '\r') {
                                partEnd--;
                            }
                        }
                        entity(d, partStart, partEnd, depth + 1, removals, out, footing);
                    }
                    if (close) {
                        return; // the epilogue stays as it is
                    }
                    partStart = next;
                    pos = next;
                    continue;
                }
            }
            pos = next; // the preamble, or a line of the current part
        }
        if (partStart >= 0 && partStart < end) {
            // no closing delimiter: the rest is the last part
            entity(d, partStart, end, depth + 1, removals, out, footing);
        }
    }

    private byte[] textPart(byte[] d, int start, int end, String base, String declared, String cte,
                            List<Removal> removals, Footing footing) {
        byte[] decoded = d;
        int from = start;
        int to = end;
        if (!TransferEncoding.isIdentity(cte)) {
            try {
                decoded = TransferEncoding.decode(Arrays.copyOfRange(d, start, end), cte);
            } catch (IllegalArgumentException e) {
                return null; // undecodable: left as it came
            }
            from = 0;
            to = decoded.length;
        }
        boolean ascii = ByteScan.ascii(decoded, from, to);
        Charset charset = charset(declared, decoded, from, to, ascii);
        String text = new String(decoded, from, to - from, charset);
        String original = text;
        String where = base;
        List<Removal> found = new ArrayList<>();
        if (actionLinks != null && text.contains(actionLinkPrefix)) {
            Matcher m = actionLinks.matcher(text);
            StringBuilder without = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(without, Matcher.quoteReplacement(ContactScrubber.REMOVED));
                found.add(new Removal("action-link", where));
            }
            m.appendTail(without);
            text = without.toString();
        }
        // an ASCII text has a digit for each digit byte; any other may hold digits of other scripts
        String clean = base.equals("text/html") ? scrubber.html(text, where, found)
                : scrubber.text(text, where, found,
                        !ascii || ByteScan.digits(decoded, from, to, ContactScrubber.PHONE_DIGITS));
        if (clean == null) {
            clean = text; // the scrubber could not read it: what was taken out before stays out
        }
        boolean scrubbed = !found.isEmpty() && !clean.equals(original);
        java.util.function.UnaryOperator<String> footer = footing == null ? null : footing.take(base);
        if (!scrubbed && footer == null) {
            return null;
        }
        if (scrubbed) {
            removals.addAll(found);
        }
        String out = scrubbed ? clean : original;
        return TransferEncoding.encode((footer == null ? out : footer.apply(out)).getBytes(charset), cte);
    }

    /**
     * The declared charset if it reads the bytes from {@code from} to {@code to} losslessly; else UTF-8 if valid;
     * else ISO-8859-1. {@code ascii}: whether those bytes are all 7-bit (the caller has looked already).
     */
    private static Charset charset(String declared, byte[] bytes, int from, int to, boolean ascii) {
        if (declared != null) {
            try {
                Charset c = Charset.forName(declared.trim());
                if (!c.equals(StandardCharsets.US_ASCII) && lossless(c, bytes, from, to, ascii)) {
                    return c;
                }
            } catch (RuntimeException e) {
                // unknown charset: guess below
            }
        }
        return lossless(StandardCharsets.UTF_8, bytes, from, to, ascii) ? StandardCharsets.UTF_8
                : StandardCharsets.ISO_8859_1;
    }

    private static boolean lossless(Charset c, byte[] bytes, int from, int to, boolean ascii) {
        boolean readsAscii = c.equals(StandardCharsets.UTF_8) || c.equals(StandardCharsets.ISO_8859_1);
        if (readsAscii && ascii) {
            return true; // both read ASCII as it is: no need to decode and encode it again to know
        }
        try {
            String s = c.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
            byte[] again = s.getBytes(c);
            return Arrays.equals(again, 0, again.length, bytes, from, to);
        } catch (CharacterCodingException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static boolean isAttachment(HeaderBlock h, ContentType type) {
        String disposition = h.value("Content-Disposition");
        String d = disposition == null ? "" : disposition.toLowerCase(Locale.ROOT);
        return d.startsWith("attachment") || d.contains("filename") || type.getParameter("name") != null;
    }

    private static ContentType contentType(String value) {
        try {
            return new ContentType(value == null ? "text/plain" : value);
        } catch (Exception e) {
            return new ContentType("application", "octet-stream", null);
        }
    }

    private static int indexOf(byte[] d, byte b, int from, int end) {
        for (int i = from; i < end; i++) {
            if (d[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] d, int pos, int end, byte[] prefix) {
        if (end - pos < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (d[pos + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlankToLineEnd(byte[] d, int from, int to) {
        for (int i = from; i < to; i++) {
            if (d[i] != ' ' && d[i] != '\t' && d[i] != '\r' && d[i] != '\n') {
                return false;
            }
        }
        return true;
    }
}
