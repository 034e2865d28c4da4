package org.postfach.rewrite;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.TextNode;

/**
 * Finds and replaces contact details in text and HTML (SPEC §4): e-mail addresses that are not aliases, also
 * written as {@code name(at)shop(dot)de}, and phone numbers as libphonenumber finds them for the region.
 * Order numbers, dates, prices, postal codes and tracking numbers are not phone numbers: they are masked
 * before the phone search, and a match must stand alone between non-alphanumeric characters.
 */
final class ContactScrubber {
    static final String REMOVED = "[removed]";
    private static final String LABEL = "[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?";
    static final Pattern EMAIL = Pattern.compile(
            "[\\p{L}\\p{N}._%+!#$&'*/=?^`{|}~-]{1,64}@(" + LABEL + "(?:\\." + LABEL + ")+)");
    private static final String AT = "\\s*[\\(\\[\\{<]\\s*(?:at|ät|@)\\s*[\\)\\]\\}>]\\s*";
    private static final String DOT = "(?:\\s*[\\(\\[\\{<]\\s*(?:dot|punkt|\\.)\\s*[\\)\\]\\}>]\\s*|\\.)";
    /** What every obfuscated address contains: "(at)", "[ät]", "{@}" and the like. */
    private static final char[] OPENING = {'(', '[', '{', '<'};
    private static final Pattern AT_SIGN = Pattern.compile(AT.substring("\\s*".length()), Pattern.CASE_INSENSITIVE);
    static final Pattern OBFUSCATED = Pattern.compile(
            "[\\p{L}\\p{N}._%+-]{1,64}" + AT + "(" + LABEL + "(?:" + DOT + LABEL + ")+)", Pattern.CASE_INSENSITIVE);
    /** Numbers that look like phone numbers to a parser but are not: masked before the phone search. */
    private static final Pattern NOT_PHONES = Pattern.compile(String.join("|",
            "\\b\\d{3}-\\d{7}-\\d{7}\\b", // marketplace order number
            "\\b\\d{1,2}\\.\\d{1,2}\\.(?:\\d{4}|\\d{2})\\b", // 24.11.2026
            "\\b\\d{4}-\\d{2}-\\d{2}\\b", // 2026-11-24
            "\\b\\d{1,3}(?:\\.\\d{3})*,\\d{2}\\b", // 1.299,00
            "\\b\\d{1,3}(?:,\\d{3})*\\.\\d{2}\\b", // 1,299.00
            "\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,4})?\\b", // IBAN
            "\\b\\d{1,2}:\\d{2}(?::\\d{2})?\\b")); // 10:30
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    /** Fewer digits than this in a text, and no phone number can be in it. */
    static final int PHONE_DIGITS = 6;
    private final String aliasDomain;
    private final String region;

    ContactScrubber(String aliasDomain, String region) {
        this.aliasDomain = aliasDomain.toLowerCase(Locale.ROOT);
        this.region = region;
    }

    /** The text with every contact detail replaced; one removal per replaced detail goes to {@code sink}. */
    String text(String text, String where, List<ContactRedactor.Removal> sink) {
        return text(text, where, sink, true);
    }

    /**
     * {@link #text(String, String, List)}, told by a caller that counted the digits of the text's bytes whether it
     * has the {@link #PHONE_DIGITS} a phone number needs (counting them in the string took a fifth of a session's
     * CPU at 100 KB; the bytes are counted eight at a time).
     */
    String text(String text, String where, List<ContactRedactor.Removal> sink, boolean enoughDigits) {
        String out = replaceEmails(EMAIL, text, where, sink);
        out = replaceEmails(OBFUSCATED, out, where, sink);
        return enoughDigits ? replacePhones(out, where, sink) : out;
    }

    private String replaceEmails(Pattern pattern, String text, String where, List<ContactRedactor.Removal> sink) {
        // The full patterns try a local part at every letter of the text. Every match holds one "at" and its local
        // part (at most 64 characters) cannot hold another, so each "at" is looked at within its own window.
        Matcher m = pattern.matcher(text);
        StringBuilder out = null;
        int last = 0;
        int from = 0;
        for (int at; (at = pattern == EMAIL ? text.indexOf('@', from) : obfuscatedAt(text, from)) >= 0; ) {
            int start = at;
            while (start > from && Character.isWhitespace(text.charAt(start - 1))) {
                start--; // "name (at) shop.de": spaces before the bracket
            }
            int end = at + 1;
            while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && text.charAt(end) != '@') {
                end++;
            }
            if (pattern != EMAIL) {
                end = Math.min(text.length(), at + 1024); // "(dot)" may hold spaces; a domain is at most 253 long
            }
            if (!m.region(Math.max(from, start - 64), end).find()) {
                from = at + 1;
                continue;
            }
            from = m.end();
            String domain = m.group(1).toLowerCase(Locale.ROOT);
            if (pattern == EMAIL && domain.equals(aliasDomain)) {
                continue; // our own aliases are how the two sides reach each other
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, last, m.start()).append(REMOVED);
            last = m.end();
            sink.add(new ContactRedactor.Removal("email", where));
        }
        return out == null ? text : out.append(text, last, text.length()).toString();
    }

    /**
     * Where the next obfuscated "at" ("(at)", "[ät]", "{@}" and the like) begins, at or after {@code from}; -1 if
     * none. Every one begins with an opening bracket, so only those are tried (a regex search tried each position).
     */
    private static int obfuscatedAt(String text, int from) {
        Matcher m = AT_SIGN.matcher(text);
        int[] next = new int[OPENING.length]; // each bracket's next position, found with the fast String.indexOf
        for (int k = 0; k < next.length; k++) {
            next[k] = text.indexOf(OPENING[k], from);
        }
        while (true) {
            int k = -1;
            for (int j = 0; j < next.length; j++) {
                if (next[j] >= 0 && (k < 0 || next[j] < next[k])) {
                    k = j;
                }
            }
            if (k < 0) {
                return -1;
            }
            int i = next[k];
            if (m.region(i, text.length()).lookingAt()) {
                return i;
            }
            next[k] = text.indexOf(OPENING[k], i + 1);
        }
    }

    private String replacePhones(String text, String where, List<ContactRedactor.Removal> sink) {
        if (!containsDigits(text, PHONE_DIGITS)) {
            return text;
        }
        StringBuilder masked = new StringBuilder(text);
        Matcher not = NOT_PHONES.matcher(text);
        while (not.find()) {
            for (int i = not.start(); i < not.end(); i++) {
                masked.setCharAt(i, 'x');
            }
        }
        List<int[]> spans = new ArrayList<>();
        for (PhoneNumberMatch m : PHONES.findNumbers(masked, region, PhoneNumberUtil.Leniency.VALID, Long.MAX_VALUE)) {
            int start = m.start();
            int end = m.end();
            if (standsAlone(masked, start, end) && digits(m.rawString()) >= 7) {
                spans.add(new int[] {start, end});
            }
        }
        if (spans.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        for (int[] s : spans) {
            out.append(text, last, s[0]).append(REMOVED);
            last = s[1];
            sink.add(new ContactRedactor.Removal("phone", where));
        }
        return out.append(text, last, text.length()).toString();
    }

    private static boolean standsAlone(CharSequence text, int start, int end) {
        if (start > 0) {
            char before = text.charAt(start - 1);
            if (Character.isLetterOrDigit(before) || before == '-' || before == '/' || before == '.' && start > 1
                    && Character.isDigit(text.charAt(start - 2))) {
                return false;
            }
        }
        if (end < text.length()) {
            char after = text.charAt(end);
            boolean digitFollows = end + 1 < text.length() && Character.isLetterOrDigit(text.charAt(end + 1));
            if (Character.isLetterOrDigit(after) || (after == '-' || after == '/' || after == '.' || after == ',')
                    && digitFollows) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code s} holds at least {@code atLeast} digits; no digit outside ASCII comes before U+0660. */
    private static boolean containsDigits(String s, int atLeast) {
        int n = 0;
        int length = s.length();
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if ((char) (c - '0') < 10 || c >= '\u0660' && Character.isDigit(c)) {
                if (++n >= atLeast) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int digits(CharSequence s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i))) {
                n++;
            }
        }
        return n;
    }

    /** The HTML with contact details removed from text, link targets and attributes; null when unchanged. */
    String html(String html, String where, List<ContactRedactor.Removal> sink) {
        Document doc = Jsoup.parse(html);
        doc.outputSettings().prettyPrint(false);
        int before = sink.size();
        for (Element e : doc.getAllElements()) {
            for (Attribute a : new ArrayList<>(e.attributes().asList())) {
                String value = a.getValue();
                String lower = value.trim().toLowerCase(Locale.ROOT);
                if (a.getKey().equalsIgnoreCase("href") && lower.startsWith("mailto:")) {
                    if (!lower.substring(7).split("\\?")[0].endsWith("@" + aliasDomain)) {
                        e.removeAttr(a.getKey());
                        sink.add(new ContactRedactor.Removal("email", where + " link"));
                    }
                } else if (a.getKey().equalsIgnoreCase("href") && (lower.startsWith("tel:")
                        || lower.startsWith("callto:") || lower.startsWith("sms:") || lower.startsWith("fax:"))) {
                    e.removeAttr(a.getKey());
                    sink.add(new ContactRedactor.Removal("phone", where + " link"));
                } else if (!a.getKey().equalsIgnoreCase("href") && !a.getKey().equalsIgnoreCase("src")) {
                    String clean = text(value, where, sink);
                    if (!clean.equals(value)) {
                        e.attr(a.getKey(), clean);
                    }
                }
            }
            for (TextNode t : e.textNodes()) {
                String whole = t.getWholeText();
                String clean = text(whole, where, sink);
                if (!clean.equals(whole)) {
                    t.text(clean);
                }
            }
        }
        return sink.size() == before ? null : doc.outerHtml();
    }
}
