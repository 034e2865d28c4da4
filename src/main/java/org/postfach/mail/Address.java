package org.postfach.mail;

import java.util.Locale;
import java.util.Optional;

/**
 * A mailbox address reduced to what routing needs: local part and domain, both lower-cased.
 * SPEC §2: aliases are matched case-insensitively; registered addresses are compared the same way.
 */
public record Address(String local, String domain) {

    public Address {
        local = local.toLowerCase(Locale.ROOT);
        domain = domain.toLowerCase(Locale.ROOT);
    }

    /** Parses {@code local@domain}, with or without angle brackets; empty for anything else. */
    public static Optional<Address> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.trim();
        if (s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1).trim();
        }
        int at = s.lastIndexOf('@');
        if (at <= 0 || at == s.length() - 1 || s.length() > 320) {
            return Optional.empty();
        }
        String local = s.substring(0, at);
        String domain = s.substring(at + 1);
        if (local.length() > 64 || !domain.matches("[A-Za-z0-9.-]+") || domain.startsWith(".")
                || domain.endsWith(".") || domain.contains("..")) {
            return Optional.empty();
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c <= ' ' || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' || c == ';' || c == '\\'
                    || c == '"' || c == '[' || c == ']' || c == 127) {
                return Optional.empty();
            }
        }
        return Optional.of(new Address(local, domain));
    }

    public static Address of(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("not an e-mail address"));
    }

    public boolean inDomain(String d) {
        return domain.equalsIgnoreCase(d);
    }

    @Override
    public String toString() {
        return local + "@" + domain;
    }
}
