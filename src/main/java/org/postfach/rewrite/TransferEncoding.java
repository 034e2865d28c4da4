package org.postfach.rewrite;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/** Content-Transfer-Encoding both ways (RFC 2045), for the body parts whose text Postfach changes. */
final class TransferEncoding {
    private TransferEncoding() {
    }

    static String normalize(String cte) {
        return cte == null ? "7bit" : cte.trim().toLowerCase(Locale.ROOT);
    }

    /** Whether the body is the content as it is (7bit, 8bit, binary, or an encoding not known here). */
    static boolean isIdentity(String cte) {
        String n = normalize(cte);
        return !n.equals("base64") && !n.equals("quoted-printable");
    }

    static byte[] decode(byte[] body, String cte) {
        return switch (normalize(cte)) {
            case "base64" -> Base64.getMimeDecoder().decode(stripInvalidBase64(body));
            case "quoted-printable" -> decodeQuotedPrintable(body);
            default -> body;
        };
    }

    static byte[] encode(byte[] content, String cte) {
        return switch (normalize(cte)) {
            case "base64" -> (Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(content) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            case "quoted-printable" -> encodeQuotedPrintable(content);
            default -> content;
        };
    }

    private static byte[] stripInvalidBase64(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
        for (byte b : body) {
            if (b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '+' || b == '/'
                    || b == '=') {
                out.write(b);
            }
        }
        byte[] clean = out.toByteArray();
        int pad = clean.length % 4;
        if (pad == 0) {
            return clean;
        }
        byte[] padded = new byte[clean.length + (4 - pad)];
        System.arraycopy(clean, 0, padded, 0, clean.length);
        for (int i = clean.length; i < padded.length; i++) {
            padded[i] = '=';
        }
        return padded;
    }

    static byte[] decodeQuotedPrintable(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '=') {
                if (i + 1 < in.length && in[i + 1] == '\n') {
                    i += 1; // soft line break
                    continue;
                }
                if (i + 2 < in.length && in[i + 1] == '\r' && in[i + 2] == '\n') {
                    i += 2;
                    continue;
                }
                if (i + 2 < in.length) {
                    int hi = Character.digit(in[i + 1], 16);
                    int lo = Character.digit(in[i + 2], 16);
                    if (hi >= 0 && lo >= 0) {
                        out.write(hi * 16 + lo);
                        i += 2;
                        continue;
                    }
                }
            }
            out.write(b);
        }
        return out.toByteArray();
    }

    /** Quoted-printable with CRLF line breaks kept as hard breaks and soft breaks before 76 characters. */
    static byte[] encodeQuotedPrintable(byte[] in) {
        StringBuilder out = new StringBuilder(in.length + in.length / 8);
        int lineLength = 0;
        for (int i = 0; i < in.length; i++) {
            int b = in[i] & 0xff;
            if (b == '\r' && i + 1 < in.length && in[i + 1] == '\n') {
                out.append("\r\n");
                lineLength = 0;
                i++;
                continue;
            }
            boolean endOfLine = i + 1 == in.length || in[i + 1] == '\r';
            String piece;
            if (b == '=' || b < 32 && b != '\t' || b > 126 || (b == ' ' || b == '\t') && endOfLine) {
                piece = String.format("=%02X", b);
            } else {
                piece = String.valueOf((char) b);
            }
            if (lineLength + piece.length() > 75) {
                out.append("=\r\n");
                lineLength = 0;
            }
            out.append(piece);
            lineLength += piece.length();
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
