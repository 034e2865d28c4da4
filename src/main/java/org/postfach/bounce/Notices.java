package org.postfach.bounce;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postfach.mail.Address;

/**
 * The messages Postfach itself sends (SPEC §3.4, §4): a blocked message, a failed or delayed delivery. Each is
 * a template under {@code notices/} (German, then English; the first line is the subject) rendered into a
 * complete message from {@code no-reply@} the alias domain with {@code Auto-Submitted: auto-generated}, so that
 * no mail client or relay answers it. Values are cleaned (no line breaks, at most 200 characters), so a crafted
 * subject cannot add a header. A remote server's text is never a value: reasons are paraphrased from the
 * status code by {@link #reason}.
 */
public final class Notices {
    public static final String BLOCKED_OPT_OUT = "blocked-opt-out";
    public static final String BLOCKED_IMPORTANT_MISUSE = "blocked-important-misuse";
    public static final String DELIVERY_FAILED = "delivery-failed";
    public static final String DELIVERY_DELAYED = "delivery-delayed";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");
    private static final Map<String, String> TEMPLATES = new ConcurrentHashMap<>();
    private final String domain;

    public Notices(String domain) {
        this.domain = domain;
    }

    /** A paraphrase of a delivery status (RFC 3463), in German and English; never the remote text. */
    public record Reason(String de, String en) {
    }

    public static Reason reason(String status) {
        String s = status == null ? "" : status.trim();
        if (s.startsWith("5.1.") || s.startsWith("4.1.")) {
            return new Reason("Das Postfach des Empfängers existiert nicht (mehr).",
                    "The recipient's mailbox does not exist (any more).");
        }
        if (s.equals("5.2.2") || s.equals("4.2.2")) {
            return new Reason("Das Postfach des Empfängers ist voll.", "The recipient's mailbox is full.");
        }
        if (s.equals("5.3.4") || s.equals("5.2.3")) {
            return new Reason("Die Nachricht ist zu groß für das Postfach des Empfängers.",
                    "The message is too large for the recipient's mailbox.");
        }
        if (s.startsWith("5.7.") || s.startsWith("4.7.")) {
            return new Reason("Der Mailserver des Empfängers hat die Nachricht aufgrund seiner Regeln abgelehnt.",
                    "The recipient's mail server refused the message because of its rules.");
        }
        if (s.startsWith("4.")) {
            return new Reason("Der Mailserver des Empfängers ist vorübergehend nicht erreichbar.",
                    "The recipient's mail server cannot be reached for the moment.");
        }
        return new Reason("Der Mailserver des Empfängers hat die Nachricht nicht angenommen.",
                "The recipient's mail server did not accept the message.");
    }

    /** The whole notice, CRLF line endings, UTF-8 text in quoted-printable. */
    public byte[] render(String kind, Address to, String toName, Map<String, String> values, Instant now,
                         String messageIdToken) {
        String template = TEMPLATES.computeIfAbsent(kind, Notices::load);
        Map<String, String> v = new HashMap<>();
        values.forEach((k, value) -> v.put(k, clean(value)));
        v.putIfAbsent("domain", domain);
        String text = fill(template, v);
        int firstLine = text.indexOf('\n');
        String subject = text.substring(0, firstLine).replaceFirst("^Subject:\\s*", "").trim();
        String body = text.substring(firstLine + 1).replace("\r\n", "\n").replace("\n", "\r\n");
        try {
            StringBuilder h = new StringBuilder();
            h.append("From: Postfach <no-reply@").append(domain).append(">\r\n");
            h.append(MimeUtility.fold(4, "To: " + new InternetAddress(to.toString(), clean(toName), "UTF-8"))).append("\r\n");
            h.append(MimeUtility.fold(9, "Subject: " + MimeUtility.encodeText(subject, "UTF-8", "Q"))).append("\r\n");
            h.append("Date: ").append(new MailDateFormat().format(Date.from(now))).append("\r\n");
            h.append("Message-ID: <").append(messageIdToken).append('@').append(domain).append(">\r\n");
            h.append("Auto-Submitted: auto-generated\r\n");
            h.append("MIME-Version: 1.0\r\n");
            h.append("Content-Type: text/plain; charset=UTF-8\r\n");
            h.append("Content-Transfer-Encoding: quoted-printable\r\n\r\n");
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.length() * 2);
            out.write(h.toString().getBytes(StandardCharsets.US_ASCII));
            try (OutputStream qp = MimeUtility.encode(new NoClose(out), "quoted-printable")) {
                qp.write(body.getBytes(StandardCharsets.UTF_8));
            }
            return out.toByteArray();
        } catch (IOException | jakarta.mail.MessagingException e) {
            throw new IllegalStateException("cannot render notice " + kind, e);
        }
    }

    private static String fill(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(m.group(1), "")));
        }
        return m.appendTail(out).toString();
    }

    /** No control characters (so no line breaks), at most 200 characters. */
    static String clean(String value) {
        if (value == null) {
            return "";
        }
        String v = value.replaceAll("[\\p{Cntrl}\\u2028\\u2029]+", " ").strip();
        return v.length() <= 200 ? v : v.substring(0, 200) + "...";
    }

    private static String load(String kind) {
        if (!kind.matches("[a-z-]+")) {
            throw new IllegalArgumentException("unknown notice: " + kind);
        }
        try (InputStream in = Notices.class.getResourceAsStream("/notices/" + kind + ".txt")) {
            if (in == null) {
                throw new IllegalArgumentException("unknown notice: " + kind);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lets the encoder flush its last line without closing the buffer. */
    private static final class NoClose extends java.io.FilterOutputStream {
        NoClose(OutputStream out) {
            super(out);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
