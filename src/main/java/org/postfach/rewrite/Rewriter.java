package org.postfach.rewrite;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeUtility;
import java.io.UnsupportedEncodingException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Builds the delivered form of a message (SPEC §5): header fields by allow-list, our own From, To and
 * Message-ID, threading headers already mapped by the caller; the body bytes are handed on unchanged.
 */
public final class Rewriter {
    /** RFC 5322 3.3, in UTC: "Mon, 7 Dec 2026 02:30:00 +0000". */
    private static final java.time.format.DateTimeFormatter DATE = java.time.format.DateTimeFormatter
            .ofPattern("EEE, d MMM yyyy HH:mm:ss xx", java.util.Locale.ENGLISH).withZone(java.time.ZoneOffset.UTC);

    /** Header fields that carry no identity and are kept as they came. Everything else is dropped. */
    static final Set<String> KEPT = Set.of("subject", "date", "mime-version", "content-type",
            "content-transfer-encoding", "content-disposition", "content-language", "content-description",
            "content-id", "importance", "priority", "x-priority", "auto-submitted", "sensitivity");

    /** A party as the other side sees it: a display name and an address. */
    public record Party(String name, String address) {
        String header() {
            try {
                return new InternetAddress(address, name == null || name.isBlank() ? null : name, "UTF-8").toString();
            } catch (UnsupportedEncodingException e) {
                throw new IllegalStateException("UTF-8 is always supported", e);
            }
        }
    }

    /**
     * The delivered form. {@code subject}, when not null, replaces the original Subject (contact details were
     * removed from it); otherwise the Subject field goes on byte for byte.
     */
    private final String domain;

    public Rewriter(String domain) {
        this.domain = domain;
    }

    public byte[] rewrite(byte[] original, Party from, Party to, String messageId, List<String> inReplyTo,
                          List<String> references, Date now, String subject) {
        return rewrite(original, from, to, messageId, inReplyTo, references, now, subject, null);
    }

    /**
     * As above; {@code optOutUrl}, when not null, is the one-click opt-out link of a seller's message to a buyer
     * (SPEC §10, RFC 8058): {@code List-Unsubscribe} and {@code List-Unsubscribe-Post} name it. The sender's own
     * List-* fields never pass the allow-list.
     */
    public byte[] rewrite(byte[] original, Party from, Party to, String messageId, List<String> inReplyTo,
                          List<String> references, Date now, String subject, String optOutUrl) {
        HeaderBlock block = HeaderBlock.parse(original);
        List<String> out = new ArrayList<>();
        out.add(fold("From: " + from.header()));
        out.add(fold("To: " + to.header()));
        out.add("Message-ID: " + messageId);
        if (!inReplyTo.isEmpty()) {
            out.add(fold("In-Reply-To: " + String.join(" ", inReplyTo)));
        }
        if (!references.isEmpty()) {
            out.add(fold("References: " + String.join(" ", references)));
        }
        if (subject != null) {
            out.add(fold("Subject: " + encode(subject)));
        }
        boolean hasDate = false;
        boolean hasReplyTo = false;
        for (HeaderBlock.Field f : block.fields()) {
            String name = f.lowerName();
            if (KEPT.contains(name) && !(subject != null && name.equals("subject"))) {
                out.add(f.raw());
                hasDate |= name.equals("date");
            }
            hasReplyTo |= name.equals("reply-to");
            if (name.equals("cc")) {
                aliasesOnly(block.value("Cc")).ifPresent(cc -> out.add(fold("Cc: " + cc)));
            }
        }
        if (hasReplyTo) {
            out.add(fold("Reply-To: " + from.header())); // SPEC §5: replies go to the alias, never elsewhere
        }
        if (!hasDate) {
            out.add("Date: " + DATE.format(now.toInstant())); // a MailDateFormat per message cost more than the rest
        }
        if (optOutUrl != null) {
            out.add("List-Unsubscribe: <" + optOutUrl + ">"); // one line: the link has no place to fold
            out.add("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
        }
        return HeaderBlock.assemble(out, block);
    }

    /**
     * SPEC §5: the recipient sees only aliases in {@code Cc}; real addresses (a colleague, the sender's other
     * mailbox) and every display name go. Empty when no alias is left.
     */
    private java.util.Optional<String> aliasesOnly(String cc) {
        if (cc == null) {
            return java.util.Optional.empty();
        }
        List<String> kept = new ArrayList<>();
        try {
            for (InternetAddress a : InternetAddress.parseHeader(cc, false)) {
                String address = a.getAddress() == null ? "" : a.getAddress().toLowerCase(java.util.Locale.ROOT);
                if (address.endsWith("@" + domain.toLowerCase(java.util.Locale.ROOT)) && !kept.contains(address)) {
                    kept.add(address);
                }
            }
        } catch (jakarta.mail.internet.AddressException e) {
            return java.util.Optional.empty(); // unreadable: nothing of it is passed on
        }
        return kept.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(String.join(", ", kept));
    }

    private static String encode(String text) {
        try {
            return MimeUtility.encodeText(text, "UTF-8", null);
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
    }

    private static String fold(String field) {
        return MimeUtility.fold(0, field);
    }
}
