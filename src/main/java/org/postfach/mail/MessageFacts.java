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
 * Message-ID, In-Reply-To and References.
 */
public record MessageFacts(String subject, Optional<Address> from, String messageId, List<String> inReplyTo,
                           List<String> references) {
    private static final Session SESSION = session();
    private static final Pattern MSG_ID = Pattern.compile("<[^<>\\s]{1,900}>");

    private static Session session() {
        Properties p = new Properties();
        p.setProperty("mail.mime.decodetext.strict", "false"); // encoded words inside words, as clients send them
        p.setProperty("mail.mime.address.strict", "false");
        return Session.getInstance(p);
    }

    public static MimeMessage mime(byte[] raw) throws MessagingException {
        return new MimeMessage(SESSION, new ByteArrayInputStream(raw));
    }

    /** Parses the headers; a message whose headers cannot be read at all throws. */
    public static MessageFacts parse(byte[] raw) throws MessagingException {
        MimeMessage m = mime(raw);
        String subject;
        try {
            subject = m.getSubject();
        } catch (MessagingException e) {
            subject = m.getHeader("Subject", null);
        }
        return new MessageFacts(subject == null ? "" : subject, firstFrom(m), firstId(m.getHeader("Message-ID", " ")),
                ids(m.getHeader("In-Reply-To", " ")), ids(m.getHeader("References", " ")));
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
