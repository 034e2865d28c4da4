package org.postfach.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test helper for the e-mail corpus under {@code src/test/resources/corpus/}.
 *
 * <p>Each corpus file is an RFC 5322 message template, stored with LF line endings, that
 * contains placeholders such as {@code {{FROM_EMAIL}}} wherever the sender's real identity
 * appears. {@link #render(String, Map)} substitutes them and converts the result to CRLF.
 * {@code manifest.tsv} describes every file (see {@link Entry}).
 */
public final class Corpus {

    /** Every placeholder that occurs in the corpus. */
    public static final List<String> PLACEHOLDERS = List.of(
            "FROM_EMAIL", "FROM_NAME", "FROM_DOMAIN", "FROM_IP", "FROM_HELO", "TO", "TO_NAME", "PREV_MSGID");

    /** The third-party addresses that may appear literally in the corpus. */
    public static final List<String> THIRD_PARTY_ADDRESSES = List.of(
            "cc.colleague@shop-example.de", "support@helpdesk-example.com", "max.mustermann@web-example.de");

    private static final String BASE = "/corpus/";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z0-9_]*)\\}\\}");

    /**
     * One line of the manifest.
     *
     * @param file                   file name relative to {@code /corpus/}
     * @param client                 the mail client or system the message imitates
     * @param isReply                whether the message is a reply (uses {@code {{PREV_MSGID}}})
     * @param attachmentSha256ByName decoded file name to lower-case hex SHA-256 of the decoded bytes
     * @param thirdPartyAddresses    third-party addresses literally present in the file
     * @param description            what the message exercises
     */
    public record Entry(String file, String client, boolean isReply, Map<String, String> attachmentSha256ByName,
                        List<String> thirdPartyAddresses, String description) {
    }

    private Corpus() {
    }

    /** Reads {@code /corpus/manifest.tsv} from the classpath. */
    public static List<Entry> entries() {
        String text = new String(load("manifest.tsv"), StandardCharsets.UTF_8);
        String[] lines = text.split("\r?\n");
        List<Entry> result = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) { // line 0 is the header
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            String[] cols = line.split("\t", -1);
            if (cols.length != 6) {
                throw new IllegalStateException("manifest.tsv line " + (i + 1) + " has " + cols.length
                        + " columns, expected 6: " + line);
            }
            Map<String, String> attachments = new LinkedHashMap<>();
            for (String item : splitList(cols[3])) {
                int colon = item.lastIndexOf(':');
                if (colon <= 0) {
                    throw new IllegalStateException("manifest.tsv line " + (i + 1) + ": bad attachment " + item);
                }
                attachments.put(item.substring(0, colon), item.substring(colon + 1));
            }
            result.add(new Entry(cols[0], cols[1], Boolean.parseBoolean(cols[2]),
                    Collections.unmodifiableMap(attachments), splitList(cols[4]), cols[5]));
        }
        return Collections.unmodifiableList(result);
    }

    /**
     * Loads {@code /corpus/<file>}, replaces every {@code {{KEY}}} with {@code values.get(KEY)}
     * and converts bare LF to CRLF (existing CRLF is left alone).
     *
     * <p>The file is handled as bytes (ISO-8859-1 round trip), so 8bit UTF-8 or ISO-8859-1
     * content passes through unchanged. Values must be ASCII.
     *
     * @throws IllegalArgumentException if a placeholder in the file has no value, or a value is not ASCII
     */
    public static byte[] render(String file, Map<String, String> values) {
        String text = new String(load(file), StandardCharsets.ISO_8859_1);
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder sb = new StringBuilder(text.length() + 512);
        while (m.find()) {
            String key = m.group(1);
            String value = values.get(key);
            if (value == null) {
                throw new IllegalArgumentException("no value for placeholder {{" + key + "}} in " + file);
            }
            for (int i = 0; i < value.length(); i++) {
                if (value.charAt(i) > 0x7F) {
                    throw new IllegalArgumentException("value for placeholder {{" + key + "}} is not ASCII: " + value);
                }
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        StringBuilder out = new StringBuilder(sb.length() + sb.length() / 40);
        for (int i = 0; i < sb.length(); i++) {
            char c = sb.charAt(i);
            if (c == '\n' && (i == 0 || sb.charAt(i - 1) != '\r')) {
                out.append('\r');
            }
            out.append(c);
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<String> splitList(String col) {
        if (col.isEmpty()) {
            return List.of();
        }
        return List.copyOf(Arrays.asList(col.split(",")));
    }

    private static byte[] load(String file) {
        try (InputStream in = Corpus.class.getResourceAsStream(BASE + file)) {
            if (in == null) {
                throw new IllegalArgumentException("corpus file not on classpath: " + BASE + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
