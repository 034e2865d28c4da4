package org.postfach.bounce;

import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postfach.mail.EncodedWords;
import org.postfach.mail.MessageFacts;

/**
 * What arrived at a VERP bounce address (SPEC §3.4): a delivery status notification (RFC 3464, also the
 * RFC 6533 global form), a bounce in prose from an older server, an auto-reply, or something else. Reads the
 * per-recipient {@code Action} and {@code Status}; the remote {@code Diagnostic-Code} is kept for the archive
 * only. Never throws.
 */
public final class Dsn {
    public enum Kind { FAILED, DELAYED, DELIVERED, AUTO_REPLY, UNKNOWN }

    /** One recipient's outcome; {@code diagnostic} is the remote text, never to be shown to the sender. */
    public record RecipientStatus(String action, String status, String diagnostic) {
    }

    public record Report(Kind kind, List<RecipientStatus> recipients) {
        /** The status that decided the kind ("5.1.1"), or "" when there is none. */
        public String status() {
            for (RecipientStatus r : recipients) {
                if (kind == Kind.FAILED && r.status().startsWith("5") || kind == Kind.DELAYED && r.status().startsWith("4")) {
                    return r.status();
                }
            }
            return recipients.isEmpty() ? "" : recipients.get(0).status();
        }
    }

    private static final Pattern STATUS = Pattern.compile("\\b([245])\\.(\\d{1,3})\\.(\\d{1,3})\\b");
    private static final Pattern AUTO_SUBJECT = Pattern.compile(
            "(?i)(out of (the )?office|automatic reply|auto(matische)?[ -]?(reply|antwort)|abwesenheit|autoreply|vacation)");
    private static final Pattern PROSE_FAILURE = Pattern.compile(
            "(?i)(undeliver|delivery (status notification|has failed|failed)|returned mail|mail delivery failed"
                    + "|unzustellbar|nicht zugestellt|user unknown|mailbox unavailable|qmail-send program)");

    private Dsn() {
    }

    public static Report read(byte[] raw) {
        try {
            var m = MessageFacts.mime(raw);
            List<RecipientStatus> statuses = new ArrayList<>();
            findStatus(m, statuses, 0);
            if (!statuses.isEmpty()) {
                return new Report(kindOf(statuses), List.copyOf(statuses));
            }
            String auto = m.getHeader("Auto-Submitted", null);
            String subject = EncodedWords.decode(m.getHeader("Subject", null));
            if (auto != null && !auto.trim().toLowerCase(Locale.ROOT).startsWith("no")
                    || m.getHeader("X-Autoreply", null) != null || m.getHeader("X-Autorespond", null) != null
                    || "auto_reply".equalsIgnoreCase(trim(m.getHeader("Precedence", null)))
                    || AUTO_SUBJECT.matcher(subject).find()) {
                return new Report(Kind.AUTO_REPLY, List.of());
            }
            return prose(subject + "\n" + MessageFacts.parse(raw).text());
        } catch (MessagingException | IOException | RuntimeException e) {
            return new Report(Kind.UNKNOWN, List.of());
        }
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    private static void findStatus(Part part, List<RecipientStatus> out, int depth)
            throws MessagingException, IOException {
        if (depth > 5) {
            return;
        }
        if (part.isMimeType("message/delivery-status") || part.isMimeType("message/global-delivery-status")) {
            try (InputStream in = part.getInputStream()) {
                out.addAll(fields(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
            return;
        }
        if (part.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) part.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                findStatus(mp.getBodyPart(i), out, depth + 1);
            }
        }
    }

    /** RFC 3464 §2: field groups separated by blank lines; the first is about the message, the rest per recipient. */
    static List<RecipientStatus> fields(String text) {
        List<RecipientStatus> out = new ArrayList<>();
        String[] groups = text.replace("\r\n", "\n").split("\n\\s*\n");
        for (String group : groups) {
            String unfolded = group.replaceAll("\n[ \t]+", " ");
            String action = null;
            String status = "";
            String diagnostic = "";
            for (String line : unfolded.split("\n")) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                switch (name) {
                    case "action" -> action = value.toLowerCase(Locale.ROOT);
                    case "status" -> {
                        Matcher m = STATUS.matcher(value);
                        status = m.find() ? m.group() : "";
                    }
                    case "diagnostic-code" -> diagnostic = value;
                    default -> { }
                }
            }
            if (action != null) {
                out.add(new RecipientStatus(action, status, diagnostic));
            }
        }
        return out;
    }

    private static Kind kindOf(List<RecipientStatus> statuses) {
        boolean delayed = false;
        boolean delivered = false;
        for (RecipientStatus s : statuses) {
            if (s.action().startsWith("failed") || s.status().startsWith("5")) {
                return Kind.FAILED;
            }
            delayed |= s.action().startsWith("delayed") || s.status().startsWith("4");
            delivered |= s.action().startsWith("delivered") || s.action().startsWith("relayed")
                    || s.action().startsWith("expanded");
        }
        return delayed ? Kind.DELAYED : delivered ? Kind.DELIVERED : Kind.UNKNOWN;
    }

    /** Older servers bounce in prose: an RFC 3463 code, or an SMTP code next to the usual words. */
    private static Report prose(String text) {
        if (!PROSE_FAILURE.matcher(text).find()) {
            return new Report(Kind.UNKNOWN, List.of());
        }
        Matcher m = STATUS.matcher(text);
        if (m.find()) {
            String status = m.group();
            Kind kind = status.startsWith("5") ? Kind.FAILED : status.startsWith("4") ? Kind.DELAYED : Kind.UNKNOWN;
            return new Report(kind, List.of(new RecipientStatus(kind.name().toLowerCase(Locale.ROOT), status, "")));
        }
        Matcher smtp = Pattern.compile("\\b(5[0-5]\\d|4[0-5]\\d)\\b").matcher(text);
        if (smtp.find()) {
            String status = smtp.group().startsWith("5") ? "5.0.0" : "4.0.0";
            Kind kind = status.startsWith("5") ? Kind.FAILED : Kind.DELAYED;
            return new Report(kind, List.of(new RecipientStatus(kind.name().toLowerCase(Locale.ROOT), status, "")));
        }
        return new Report(Kind.FAILED, List.of(new RecipientStatus("failed", "5.0.0", "")));
    }
}
