package org.postfach.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;
import org.postfach.mail.Address;

/** A JSON request body with typed, validated reads; each problem names its field. */
public final class Body {
    private final JsonNode node;

    Body(JsonNode node) {
        this.node = node;
    }

    /** Refuses fields the resource does not know, so that a typo is never silently ignored. */
    public Body only(String... fields) {
        Set<String> allowed = Set.of(fields);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw ApiException.badRequest(f + ": unknown field");
            }
        }
        return this;
    }

    public boolean has(String field) {
        return node.has(field) && !node.get(field).isNull();
    }

    public String text(String field, boolean required, int maxLength) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiException.badRequest(field + ": required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest(field + ": must be a string");
        }
        String s = v.asText().trim();
        if (s.isEmpty() && required) {
            throw ApiException.badRequest(field + ": must not be empty");
        }
        if (s.length() > maxLength) {
            throw ApiException.badRequest(field + ": longer than " + maxLength + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw ApiException.badRequest(field + ": must not contain control characters");
            }
        }
        return s.isEmpty() ? null : s;
    }

    /** An identifier chosen by the marketplace: letters, digits, and {@code . _ -}. */
    public String id(String field, boolean required) {
        String s = text(field, required, 64);
        if (s != null && !s.matches("[A-Za-z0-9._-]{1,64}")) {
            throw ApiException.badRequest(field + ": only letters, digits, '.', '_' and '-' (at most 64)");
        }
        return s;
    }

    public Address email(String field, boolean required) {
        String s = text(field, required, 320);
        if (s == null) {
            return null;
        }
        return Address.parse(s).orElseThrow(() -> ApiException.badRequest(field + ": not a valid e-mail address"));
    }

    public Boolean bool(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw ApiException.badRequest(field + ": must be true or false");
        }
        return v.asBoolean();
    }

    public Instant instant(String field) {
        String s = text(field, false, 64);
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(field + ": not an ISO-8601 instant such as 2026-11-24T10:00:00Z");
        }
    }
}
