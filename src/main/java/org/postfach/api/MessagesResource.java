package org.postfach.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postfach.archive.Archive;
import org.postfach.archive.ArchivedMessage;
import org.postfach.archive.Page;
import org.postfach.archive.Query;
import org.postfach.archive.Report;

/** {@code /api/messages} and {@code /api/reports}: the archive for the marketplace (SPEC §8, §9). */
final class MessagesResource {
    static final Set<String> STATUSES = Set.of("QUEUED", "SENDING", "DEFERRED", "DELIVERED", "FAILED", "BLOCKED",
            "RECEIVED");
    private final Archive archive;

    MessagesResource(Archive archive) {
        this.archive = archive;
    }

    Reply search(Request r) {
        int limit = integer(r, "limit", 50, 1, 500);
        String status = r.query("status");
        if (status != null && !STATUSES.contains(status.toUpperCase(java.util.Locale.ROOT))) {
            throw ApiException.badRequest("status: one of " + String.join(", ", new java.util.TreeSet<>(STATUSES)));
        }
        String rr = r.query("responseRequired");
        if (rr != null && !rr.equals("true") && !rr.equals("false")) {
            throw ApiException.badRequest("responseRequired: true or false");
        }
        String q = r.query("q");
        if (q != null && (q.isBlank() || q.length() > 200)) {
            throw ApiException.badRequest("q: 1 to 200 characters");
        }
        String cursor = r.query("cursor");
        Long before = cursor == null ? null : (long) integer(r, "cursor", 0, 1, Integer.MAX_VALUE);
        Page page = archive.search(new Query(r.query("sellerId"), r.query("alias"), r.query("orderId"),
                instant(r, "since"), instant(r, "until"), q, status == null ? null : status.toUpperCase(java.util.Locale.ROOT),
                rr == null ? null : Boolean.valueOf(rr), limit, before));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", page.items().stream().map(MessagesResource::summary).toList());
        m.put("nextCursor", page.next() == null ? null : page.next().toString());
        return Reply.ok(m);
    }

    Reply get(Request r) {
        ArchivedMessage m = archive.message(id(r)).orElseThrow(() -> ApiException.notFound("message not found"));
        Map<String, Object> v = summary(m);
        v.put("events", m.events().stream().map(e -> Map.of("rule", e.rule(), "detail", e.detail() == null ? ""
                : e.detail(), "at", e.at().toString())).toList());
        if (m.delivery() != null) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("state", m.delivery().state());
            d.put("attempts", m.delivery().attempts());
            d.put("nextAttemptAt", m.delivery().nextAttemptAt() == null ? null : m.delivery().nextAttemptAt().toString());
            d.put("lastError", m.delivery().lastError());
            v.put("delivery", d);
        }
        return Reply.ok(v);
    }

    Reply raw(Request r) {
        long id = id(r);
        String form = r.query("form") == null ? "original" : r.query("form");
        if (!form.equals("original") && !form.equals("delivered")) {
            throw ApiException.badRequest("form: original or delivered");
        }
        archive.message(id).orElseThrow(() -> ApiException.notFound("message not found"));
        byte[] bytes = archive.raw(id, form).orElseThrow(() -> ApiException.notFound("the message has no " + form
                + " form (blocked, purged, or never delivered)"));
        return Reply.raw(bytes, "message/rfc822");
    }

    Reply patch(Request r) {
        Body b = r.body().only("legalHold");
        Boolean hold = b.bool("legalHold");
        if (hold == null) {
            throw ApiException.badRequest("legalHold: true or false is required");
        }
        long id = id(r);
        if (!archive.setLegalHold(id, hold)) {
            throw ApiException.notFound("message not found");
        }
        return get(r);
    }

    Reply noResponseNeeded(Request r) {
        long id = id(r);
        ArchivedMessage m = archive.message(id).orElseThrow(() -> ApiException.notFound("message not found"));
        if (!m.route().equals("buyer-to-seller")) {
            throw new ApiException(409, "only a buyer's message can need a response");
        }
        archive.markNoResponseNeeded(id);
        return get(r);
    }

    Reply report(Request r) {
        long id = id(r);
        Body b = r.body().only("reason", "note");
        String reason = b.text("reason", true, 20);
        if (!Report.REASONS.contains(reason)) {
            throw ApiException.badRequest("reason: spam, inappropriate or other");
        }
        String note = b.text("note", false, 2000);
        archive.message(id).orElseThrow(() -> ApiException.notFound("message not found"));
        long reportId = archive.report(id, reason, note);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", reportId);
        v.put("messageId", id);
        v.put("reason", reason);
        v.put("note", note);
        return Reply.created(v);
    }

    Reply reports(Request r) {
        int limit = integer(r, "limit", 100, 1, 1000);
        List<Report> list = archive.reports(limit);
        return Reply.ok(Map.of("items", list.stream().map(x -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", x.id());
            v.put("messageId", x.messageId());
            v.put("reason", x.reason());
            v.put("note", x.note());
            v.put("createdAt", x.createdAt().toString());
            return v;
        }).toList()));
    }

    static Map<String, Object> summary(ArchivedMessage m) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", m.id());
        v.put("receivedAt", m.receivedAt().toString());
        v.put("route", m.route());
        v.put("status", m.status());
        v.put("sellerId", m.sellerId());
        v.put("buyerId", m.buyerId());
        v.put("alias", m.buyerAlias());
        v.put("orderId", m.orderId());
        v.put("envelopeFrom", m.envelopeFrom());
        v.put("envelopeTo", m.envelopeTo());
        v.put("subject", m.subject());
        v.put("messageId", m.relayMessageId());
        v.put("responseRequired", m.responseRequired());
        v.put("respondedAt", m.respondedAt() == null ? null : m.respondedAt().toString());
        v.put("noResponseNeeded", m.noResponseNeeded());
        v.put("legalHold", m.legalHold());
        v.put("purgedAt", m.purgedAt() == null ? null : m.purgedAt().toString());
        v.put("blockedRule", m.blockedRule());
        v.put("relatedId", m.relatedId());
        v.put("size", m.sizeBytes());
        v.put("attachments", m.attachments()); // counted at intake since schema version 11
        return v;
    }

    static long id(Request r) {
        String raw = r.param("id");
        if (raw == null || !raw.matches("[0-9]{1,18}")) {
            throw ApiException.notFound("message not found");
        }
        return Long.parseLong(raw);
    }

    static int integer(Request r, String name, int fallback, int min, int max) {
        String raw = r.query(name);
        if (raw == null) {
            return fallback;
        }
        if (!raw.matches("[0-9]{1,10}") || Long.parseLong(raw) < min || Long.parseLong(raw) > max) {
            throw ApiException.badRequest(name + ": a whole number from " + min + " to " + max);
        }
        return Integer.parseInt(raw);
    }

    static Instant instant(Request r, String name) {
        String raw = r.query(name);
        if (raw == null) {
            return null;
        }
        try {
            return Instant.parse(raw);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + ": an ISO-8601 instant such as 2026-11-24T10:00:00Z");
        }
    }
}
