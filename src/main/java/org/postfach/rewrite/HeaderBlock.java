package org.postfach.rewrite;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.postfach.mail.MessageBytes;

/**
 * A message split into its header fields and its body bytes, without decoding anything: the body is handed
 * on byte for byte, and kept header fields keep their exact bytes (folding, encoded words, 8-bit text).
 */
public final class HeaderBlock {
    /** One header field: its name and the whole raw field, folding included, without the final CRLF. */
    public record Field(String name, String raw) {
        public String lowerName() {
            return name.toLowerCase(Locale.ROOT);
        }
    }

    private final List<Field> fields;
    private final byte[] body;
    private final int bodyOffset;

    private HeaderBlock(List<Field> fields, byte[] raw, int bodyOffset) {
        this.fields = fields;
        this.body = raw;
        this.bodyOffset = bodyOffset;
    }

    /** Splits at the first empty line. Header bytes are read as ISO-8859-1 so that every byte survives. */
    public static HeaderBlock parse(byte[] raw) {
        int blank = MessageBytes.blankLine(raw, 0, raw.length);
        int end = blank < 0 ? raw.length : blank;
        int bodyStart = blank < 0 ? raw.length : MessageBytes.after(raw, blank);
        String head = new String(raw, 0, end, StandardCharsets.ISO_8859_1);
        List<Field> fields = new ArrayList<>();
        StringBuilder current = null;
        for (String line : head.split("\r?\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                current.append("\r\n").append(line);
            } else {
                if (current != null) {
                    fields.add(field(current.toString()));
                }
                current = new StringBuilder(line);
            }
        }
        if (current != null) {
            fields.add(field(current.toString()));
        }
        return new HeaderBlock(fields, raw, Math.min(bodyStart, raw.length));
    }

    private static Field field(String raw) {
        int colon = raw.indexOf(':');
        String name = colon > 0 ? raw.substring(0, colon).trim() : "";
        return new Field(name, raw);
    }

    public List<Field> fields() {
        return fields;
    }

    /** The unfolded value of the first field with this name, or null. */
    public String value(String name) {
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                return f.raw().substring(f.raw().indexOf(':') + 1).replaceAll("\r\n[ \t]", " ").trim();
            }
        }
        return null;
    }

    /** Writes the given fields, an empty line and the original body bytes. */
    public static byte[] assemble(List<String> rawFields, HeaderBlock original) {
        // into an array of the exact size: the body is copied once (a growing buffer copied it twice)
        List<byte[]> fields = new ArrayList<>(rawFields.size());
        int headerBytes = 2;
        for (String f : rawFields) {
            byte[] b = f.getBytes(StandardCharsets.ISO_8859_1);
            fields.add(b);
            headerBytes += b.length + 2;
        }
        int bodyBytes = original.body.length - original.bodyOffset;
        byte[] out = new byte[Math.addExact(headerBytes, bodyBytes)];
        int at = 0;
        for (byte[] b : fields) {
            System.arraycopy(b, 0, out, at, b.length);
            at += b.length;
            out[at++] = '\r';
            out[at++] = '\n';
        }
        out[at++] = '\r';
        out[at++] = '\n';
        System.arraycopy(original.body, original.bodyOffset, out, at, bodyBytes);
        return out;
    }
}
