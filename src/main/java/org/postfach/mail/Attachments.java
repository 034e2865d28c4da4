package org.postfach.mail;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MimeTypes;

/**
 * Finds every attachment of a message, walking into attached messages, and detects what each one really is
 * from its content (magic bytes, tika-core), never from its name or declared type (SPEC §4). Body text
 * (text parts without a file name that are not marked as attachments) and the signature part of
 * {@code multipart/signed} are not attachments. Never throws: what cannot be read becomes a problem.
 */
public final class Attachments {
    static final int MAX_DEPTH = 5;
    static final int MAX_PARTS = 200;
    public static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    private static final MimeTypes TYPES = MimeTypes.getDefaultMimeTypes();
    private static final Set<String> SIGNATURES = Set.of("application/pkcs7-signature",
            "application/x-pkcs7-signature", "application/pgp-signature");

    private Attachments() {
    }

    /** The attachments, and structural problems that make the message unacceptable as a whole. */
    public record Scan(List<Attachment> attachments, List<String> problems) {
    }

    public static Scan scan(byte[] raw) {
        List<Attachment> found = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try {
            walk(MessageFacts.mime(raw), "", 0, new int[1], found, problems);
        } catch (MessagingException | IOException | RuntimeException e) {
            problems.add("the message structure could not be read");
        }
        return new Scan(List.copyOf(found), List.copyOf(problems));
    }

    private static void walk(Part part, String path, int depth, int[] parts, List<Attachment> found,
                             List<String> problems) throws MessagingException, IOException {
        if (++parts[0] > MAX_PARTS) {
            if (problems.isEmpty()) {
                problems.add("more than " + MAX_PARTS + " MIME parts");
            }
            return;
        }
        String type = baseType(part);
        if (type.startsWith("multipart/")) {
            Object content = part.getContent();
            if (!(content instanceof Multipart mp)) {
                problems.add("a multipart part without parts");
                return;
            }
            boolean signed = type.equals("multipart/signed");
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart child = mp.getBodyPart(i);
                if (signed && SIGNATURES.contains(baseType(child))) {
                    continue; // the signature of a signed message, not something the sender attached
                }
                walk(child, join(path, Integer.toString(i + 1)), depth, parts, found, problems);
            }
            return;
        }
        if (type.equals("message/rfc822") || type.equals("message/global")) {
            if (depth >= MAX_DEPTH) {
                problems.add("attached messages nested deeper than " + MAX_DEPTH + " levels");
                return;
            }
            byte[] inner;
            try (InputStream in = part.getInputStream()) {
                inner = in.readAllBytes();
            }
            walk(MessageFacts.mime(inner), join(path, "rfc822"), depth + 1, parts, found, problems);
            return;
        }
        String name = fileName(part);
        if (type.startsWith("text/") && name.isEmpty() && !Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            return; // body text
        }
        byte[] content;
        try (InputStream in = part.getInputStream()) {
            content = in.readAllBytes();
        }
        found.add(new Attachment(path.isEmpty() ? "1" : path, name, type, detect(content), content.length));
    }

    /** What the content is by its bytes alone; a zip holding a Word document is told apart from other zips. */
    public static String detect(byte[] content) {
        String type;
        try {
            MediaType t = TYPES.detect(new ByteArrayInputStream(content), new Metadata());
            type = t.getBaseType().toString();
        } catch (IOException e) {
            return "application/octet-stream";
        }
        if (type.equals("application/zip") || type.equals("application/x-tika-ooxml")) {
            return isWordDocument(content) ? DOCX : "application/zip";
        }
        return type;
    }

    private static boolean isWordDocument(byte[] content) {
        boolean types = false;
        boolean word = false;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(content))) {
            ZipEntry e;
            int entries = 0;
            while ((e = zip.getNextEntry()) != null && entries++ < 10_000) {
                types |= e.getName().equals("[Content_Types].xml");
                word |= e.getName().startsWith("word/");
            }
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
        return types && word;
    }

    private static String fileName(Part part) {
        try {
            String name = part.getFileName();
            // RFC 2231 names are decoded by Jakarta Mail; RFC 2047 words in a name (Outlook) are decoded here.
            return name == null ? "" : EncodedWords.decode(name).strip();
        } catch (MessagingException | RuntimeException e) {
            return "(unreadable name)";
        }
    }

    private static String baseType(Part part) {
        try {
            return new ContentType(part.getContentType()).getBaseType().toLowerCase(Locale.ROOT);
        } catch (MessagingException | RuntimeException e) {
            return "application/octet-stream"; // RFC 2045: an unreadable type is treated as opaque data
        }
    }

    private static String join(String path, String next) {
        return path.isEmpty() ? next : path + "/" + next;
    }
}
