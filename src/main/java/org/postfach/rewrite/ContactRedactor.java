package org.postfach.rewrite;

import jakarta.mail.internet.ContentType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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

    public ContactRedactor(String aliasDomain, String phoneRegion) {
        this.scrubber = new ContactScrubber(aliasDomain, phoneRegion);
    }

    /** One removed detail: {@code kind} is "email" or "phone"; never the removed value itself. */
    public record Removal(String kind, String where) {
    }

    public record Result(byte[] message, List<Removal> removals) {
        public boolean changed() {
            return !removals.isEmpty();
        }
    }

    public Result redact(byte[] message) {
        List<Removal> removals = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 256);
        entity(message, 0, message.length, 0, removals, out);
        return removals.isEmpty() ? new Result(message, List.of()) : new Result(out.toByteArray(), List.copyOf(removals));
    }

    /** Redacts one decoded text, such as the subject. */
    public String redactText(String text, String where, List<Removal> sink) {
        return scrubber.text(text, where, sink);
    }

    private void entity(byte[] d, int start, int end, int depth, List<Removal> removals, ByteArrayOutputStream out) {
        int bodyStart = MessageBytes.bodyStart(d, start, end);
        HeaderBlock h = HeaderBlock.parse(Arrays.copyOfRange(d, start, bodyStart));
        ContentType type = contentType(h.value("Content-Type"));
        String base = type.getBaseType().toLowerCase(Locale.ROOT);
        String boundary = type.getParameter("boundary");
        if (base.startsWith("multipart/") && boundary != null && depth < MAX_DEPTH) {
            out.write(d, start, bodyStart - start);
            multipart(d, bodyStart, end, boundary, depth, removals, out);
            return;
        }
        boolean text = base.equals("text/plain") || base.equals("text/html");
        if (!text || isAttachment(h, type)) {
            out.write(d, start, end - start);
            return;
        }
        byte[] changed = textPart(d, bodyStart, end, base, type.getParameter("charset"),
                h.value("Content-Transfer-Encoding"), removals);
        out.write(d, start, bodyStart - start);
        if (changed == null) {
            out.write(d, bodyStart, end - bodyStart);
        } else {
            out.write(changed, 0, changed.length);
        }
    }

    private void multipart(byte[] d, int start, int end, String boundary, int depth, List<Removal> removals,
                           ByteArrayOutputStream out) {
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
                        entity(d, partStart, partEnd, depth + 1, removals, out);
                        out.write(d, partEnd, next - partEnd);
                    } else {
                        out.write(d, pos, next - pos);
                    }
                    if (close) {
                        out.write(d, next, end - next); // epilogue
                        return;
                    }
                    partStart = next;
                    pos = next;
                    continue;
                }
            }
            if (partStart < 0) {
                out.write(d, pos, next - pos); // preamble
            }
            pos = next;
        }
        if (partStart >= 0 && partStart < end) {
            entity(d, partStart, end, depth + 1, removals, out); // no closing delimiter: the rest is the last part
        }
    }

    private byte[] textPart(byte[] d, int start, int end, String base, String declared, String cte,
                            List<Removal> removals) {
        byte[] body = Arrays.copyOfRange(d, start, end);
        byte[] decoded;
        try {
            decoded = TransferEncoding.decode(body, cte);
        } catch (IllegalArgumentException e) {
            return null; // undecodable: left as it came
        }
        Charset charset = charset(declared, decoded);
        String text = new String(decoded, charset);
        String where = base;
        List<Removal> found = new ArrayList<>();
        String clean = base.equals("text/html") ? scrubber.html(text, where, found) : scrubber.text(text, where, found);
        if (found.isEmpty() || clean == null || clean.equals(text)) {
            return null;
        }
        removals.addAll(found);
        return TransferEncoding.encode(clean.getBytes(charset), cte);
    }

    /** The declared charset if it reads these bytes losslessly; else UTF-8 if valid; else ISO-8859-1. */
    static Charset charset(String declared, byte[] bytes) {
        if (declared != null) {
            try {
                Charset c = Charset.forName(declared.trim());
                if (!c.equals(StandardCharsets.US_ASCII) && lossless(c, bytes)) {
                    return c;
                }
            } catch (RuntimeException e) {
                // unknown charset: guess below
            }
        }
        return lossless(StandardCharsets.UTF_8, bytes) ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
    }

    private static boolean lossless(Charset c, byte[] bytes) {
        boolean readsAscii = c.equals(StandardCharsets.UTF_8) || c.equals(StandardCharsets.ISO_8859_1);
        if (readsAscii && ByteScan.ascii(bytes, 0, bytes.length)) {
            return true; // both read ASCII as it is: no need to decode and encode it again to know
        }
        try {
            String s = c.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return Arrays.equals(s.getBytes(c), bytes);
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
