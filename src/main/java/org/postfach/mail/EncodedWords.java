package org.postfach.mail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes an unstructured header field such as {@code Subject} (RFC 2047): Q and B encoded words in any
 * charset, whitespace between adjacent encoded words dropped, and adjacent words in the same charset decoded
 * together, because clients split one multi-byte character across two words. Folding is undone first.
 * Anything that is not a well-formed encoded word is kept as it is; this never throws.
 */
public final class EncodedWords {
    private static final Pattern WORD = Pattern.compile("=\\?([^?\\s]{1,64})\\?([QqBb])\\?([^?\\s]*)\\?=");
    private static final Pattern FOLD = Pattern.compile("\\r?\\n(?=[ \\t])");

    private EncodedWords() {
    }

    public static String decode(String raw) {
        if (raw == null) {
            return "";
        }
        String text = FOLD.matcher(raw).replaceAll("");
        StringBuilder out = new StringBuilder(text.length());
        Matcher m = WORD.matcher(text);
        int pos = 0;
        Charset pending = null;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (m.find()) {
            String between = text.substring(pos, m.start());
            Charset charset = charset(m.group(1));
            byte[] decoded = charset == null ? null : bytes(m.group(2), m.group(3));
            if (decoded == null) {
                continue; // not decodable: stays in the text as it came
            }
            boolean adjacent = pending != null && between.isBlank();
            if (!adjacent || !charset.equals(pending)) {
                flush(out, bytes, pending);
                if (!adjacent) {
                    out.append(between);
                }
            }
            bytes.write(decoded, 0, decoded.length);
            pending = charset;
            pos = m.end();
        }
        flush(out, bytes, pending);
        out.append(text, pos, text.length());
        return out.toString();
    }

    private static void flush(StringBuilder out, ByteArrayOutputStream bytes, Charset charset) {
        if (bytes.size() > 0) {
            out.append(new String(bytes.toByteArray(), charset));
            bytes.reset();
        }
    }

    private static Charset charset(String name) {
        int star = name.indexOf('*'); // RFC 2231 language suffix: =?UTF-8*de?Q?...?=
        String n = star >= 0 ? name.substring(0, star) : name;
        try {
            return Charset.forName(n);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static byte[] bytes(String encoding, String text) {
        if (encoding.toUpperCase(Locale.ROOT).equals("B")) {
            try {
                return Base64.getMimeDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '_') {
                out.write(' ');
            } else if (c == '=' && i + 2 < text.length()) {
                int hi = Character.digit(text.charAt(i + 1), 16);
                int lo = Character.digit(text.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c == '=') {
                return null;
            } else {
                out.write(c > 0xff ? '?' : c);
            }
        }
        return out.toByteArray();
    }
}
