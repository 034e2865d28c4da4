package org.postfach.testing;

import jakarta.mail.BodyPart;
import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

/** The privacy check every flow test runs on every delivered message (ARCHITECTURE "Tests"). */
public final class Privacy {
    private Privacy() {
    }

    /**
     * Fails if any of {@code secrets} (real addresses, IPs, host names) appears, in any letter case, in the raw
     * message, in any header (raw and RFC 2047-decoded), or in any decoded body part or file name.
     */
    public static void assertNoRealAddress(MimeMessage message, String... secrets) {
        List<String> places = new ArrayList<>();
        try {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            message.writeTo(raw);
            places.add("raw message\n" + raw.toString(StandardCharsets.ISO_8859_1));
            walk(message, "message", places);
        } catch (MessagingException | IOException e) {
            throw new AssertionError("message could not be read: " + e, e);
        }
        for (String secret : secrets) {
            String s = secret.toLowerCase(Locale.ROOT);
            for (String place : places) {
                if (place.toLowerCase(Locale.ROOT).contains(s)) {
                    throw new AssertionError("real identity '" + secret + "' leaked in " + place.lines().findFirst()
                            .orElse("") + ":\n" + excerpt(place, s));
                }
            }
        }
    }

    private static String excerpt(String place, String secret) {
        int i = place.toLowerCase(Locale.ROOT).indexOf(secret);
        return place.substring(Math.max(0, i - 200), Math.min(place.length(), i + secret.length() + 200));
    }

    private static void walk(Part part, String path, List<String> places) throws MessagingException, IOException {
        for (Enumeration<Header> e = part.getAllHeaders(); e.hasMoreElements(); ) {
            Header h = e.nextElement();
            String decoded;
            try {
                decoded = MimeUtility.decodeText(MimeUtility.unfold(h.getValue()));
            } catch (IOException | RuntimeException ex) {
                decoded = h.getValue();
            }
            places.add("header " + h.getName() + " of " + path + "\n" + h.getValue() + "\n" + decoded);
        }
        String fileName = null;
        try {
            fileName = part.getFileName();
        } catch (MessagingException ignored) {
            // a malformed name is still covered by the raw header
        }
        if (fileName != null) {
            places.add("file name of " + path + "\n" + fileName);
        }
        if (part.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) part.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart child = mp.getBodyPart(i);
                walk(child, path + "/" + (i + 1), places);
            }
        } else if (part.isMimeType("message/rfc822")) {
            walk((Part) part.getContent(), path + "/rfc822", places);
        } else if (part.isMimeType("text/*")) {
            Object content;
            try {
                content = part.getContent();
            } catch (IOException | RuntimeException e) {
                content = null;
            }
            places.add("body of " + path + "\n" + (content instanceof String s ? s : decodedBytes(part)));
        } else {
            places.add("body of " + path + "\n" + decodedBytes(part));
        }
    }

    private static String decodedBytes(Part part) throws MessagingException, IOException {
        try (InputStream in = part.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
