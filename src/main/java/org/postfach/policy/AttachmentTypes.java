package org.postfach.policy;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.postfach.mail.Attachment;
import org.postfach.mail.Attachments;

/**
 * SPEC §4: which attachments may pass. A file passes when its name (if it has one) ends in an allowed
 * extension and its content, judged by its bytes, is of that same kind; a file without a name is judged by
 * its content alone. So an {@code .exe} named {@code .pdf} and a zip named {@code .docx} are refused.
 */
public final class AttachmentTypes {
    public static final List<String> ALLOWED = List.of("txt", "pdf", "doc", "docx", "jpg", "jpeg", "gif", "tif",
            "tiff", "bmp", "png");
    /** The kind a file name's extension promises. */
    private static final Map<String, String> KIND_OF_EXTENSION = Map.ofEntries(Map.entry("txt", "text"),
            Map.entry("pdf", "pdf"), Map.entry("doc", "doc"), Map.entry("docx", "docx"), Map.entry("jpg", "jpeg"),
            Map.entry("jpeg", "jpeg"), Map.entry("gif", "gif"), Map.entry("tif", "tiff"), Map.entry("tiff", "tiff"),
            Map.entry("bmp", "bmp"), Map.entry("png", "png"));
    /** The kind the content is, by the type detected from its bytes. */
    private static final Map<String, String> KIND_OF_TYPE = Map.ofEntries(Map.entry("application/pdf", "pdf"),
            Map.entry("application/x-tika-msoffice", "doc"), Map.entry("application/msword", "doc"),
            Map.entry(Attachments.DOCX, "docx"), Map.entry("image/jpeg", "jpeg"), Map.entry("image/gif", "gif"),
            Map.entry("image/tiff", "tiff"), Map.entry("image/bmp", "bmp"), Map.entry("image/x-ms-bmp", "bmp"),
            Map.entry("image/png", "png"), Map.entry("text/plain", "text"));

    private AttachmentTypes() {
    }

    public static Optional<String> refusal(Attachment a) {
        String name = clean(a.fileName());
        String content = KIND_OF_TYPE.getOrDefault(a.detectedType(), a.detectedType().startsWith("text/") ? "text" : null);
        String label = name.isEmpty() ? "an attachment" : "\"" + name + "\"";
        if (!name.isEmpty()) {
            String ext = extension(name);
            String promised = KIND_OF_EXTENSION.get(ext);
            if (promised == null) {
                return Optional.of(label + (ext.isEmpty() ? " has no file type" : ": ." + ext + " files"));
            }
            if (!promised.equals(content)) {
                return Optional.of(label + " is really " + a.detectedType());
            }
            return Optional.empty();
        }
        return content == null ? Optional.of(label + " of type " + a.detectedType()) : Optional.empty();
    }

    /** The last extension, ignoring the trailing dots and spaces Windows also ignores. */
    static String extension(String name) {
        String n = name.replaceAll("[.\\s]+$", "");
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** A file name as it may appear in a reply: no control characters, at most 100 characters. */
    static String clean(String name) {
        String n = name.replaceAll("[\\p{Cntrl}\"]", "").strip();
        return n.length() <= 100 ? n : n.substring(0, 100) + "...";
    }
}
