package org.postfach.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the stages need to know about a message, parsed once: the decoded subject, the {@code From:} address,
 * Message-ID, In-Reply-To, References, whether it was sent automatically (RFC 3834), and the decoded text of
 * its body parts (for order numbers and keywords; HTML reduced to its text).
 */
public record MessageFacts(String subject, Optional<Address> from, String messageId, List<String> inReplyTo,
                           List<String> references, boolean autoSubmitted, String text) {
    /** Body text beyond this is not looked at by any rule. */
    static final int MAX_TEXT = 1 << 20;
    private static final Session SESSION = session();
    private static final Pattern MSG_ID = Pattern.compile("<[^<>\\s]{1,900}>");

    private static Session session() {
        MailStreams.install();
        Properties p = new Properties();
        p.setProperty("mail.mime.decodetext.strict", "false"); // encoded words inside words, as clients send them
        p.setProperty("mail.mime.address.strict", "false");
        p.setProperty("mail.mime.allowutf8", "true"); // SMTPUTF8 headers are UTF-8, not Latin-1
        return Session.getInstance(p);
    }

    public static MimeMessage mime(byte[] raw) throws MessagingException {
        // shared, not copied: the parsed message's content is a view of raw (one copy fewer of a large message)
        return new MimeMessage(SESSION, new jakarta.mail.util.SharedByteArrayInputStream(raw));
    }

    /** Parses the headers; a message whose headers cannot be read at all throws. */
    public static MessageFacts parse(byte[] raw) throws MessagingException {
        MimeMessage m = mime(raw);
        String subject = EncodedWords.decode(m.getHeader("Subject", null));
        String auto = m.getHeader("Auto-Submitted", null);
        boolean autoSubmitted = auto != null && !auto.trim().toLowerCase(java.util.Locale.ROOT).startsWith("no");
        String text = BodyText.of(m);
        return new MessageFacts(subject, firstFrom(m), firstId(m.getHeader("Message-ID", " ")),
                ids(m.getHeader("In-Reply-To", " ")), ids(m.getHeader("References", " ")), autoSubmitted,
                text);
    }

    private static Optional<Address> firstFrom(MimeMessage m) throws MessagingException {
        String header = m.getHeader("From", ",");
        if (header == null) {
            return Optional.empty();
        }
        try {
            InternetAddress[] list = InternetAddress.parseHeader(header, false);
            return list.length == 1 ? Address.parse(list[0].getAddress()) : Optional.empty();
        } catch (AddressException e) {
            return Optional.empty();
        }
    }

    static List<String> ids(String header) {
        List<String> out = new ArrayList<>();
        if (header != null) {
            Matcher m = MSG_ID.matcher(header);
            while (m.find() && out.size() < 100) {
                out.add(m.group());
            }
        }
        return out;
    }

    private static String firstId(String header) {
        List<String> ids = ids(header);
        return ids.isEmpty() ? null : ids.get(0);
    }
}
