package org.postfach.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.postfach.directory.AliasOwner;
import org.postfach.directory.Directory;
import org.postfach.directory.Order;

/** {@code /api/orders} and {@code /api/aliases/{alias}} (SPEC §9). */
final class OrdersResource {
    /** Categories a marketplace uses; the three of SPEC §4 matter for the opt-out. */
    static final Set<String> CATEGORIES = Set.of("handmade", "wine", "custom", "general", "books", "electronics",
            "fashion", "home", "toys", "food", "other");
    private final Directory directory;

    OrdersResource(Directory directory) {
        this.directory = directory;
    }

    Reply create(Request r) {
        Body b = r.body().only("id", "sellerId", "buyerId", "category", "placedAt");
        String id = b.id("id", true);
        String sellerId = b.id("sellerId", true);
        String buyerId = b.id("buyerId", true);
        String category = b.text("category", false, 64);
        if (category != null && !category.matches("[A-Za-z0-9_-]{1,64}")) {
            throw ApiException.badRequest("category: letters, digits, '_' and '-' only");
        }
        String alias = directory.registerOrder(id, sellerId, buyerId, category, b.instant("placedAt"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("sellerId", sellerId);
        m.put("buyerId", buyerId);
        m.put("category", category == null ? null : category.toLowerCase(java.util.Locale.ROOT));
        m.put("buyerAlias", alias);
        return Reply.created(m);
    }

    Reply alias(Request r) {
        AliasOwner o = directory.owner(r.param("alias"))
                .orElseThrow(() -> ApiException.notFound("alias not found"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alias", o.alias());
        m.put("kind", o.isSellerAlias() ? "seller" : "buyer");
        m.put("sellerId", o.seller().id());
        if (!o.isSellerAlias()) {
            m.put("buyerId", o.buyer().id());
            m.put("optedOut", o.optedOut()); // the buyer opted out of this seller (SPEC §10, one click)
            m.put("orders", directory.orders(o.seller().id(), o.buyer().id()).stream().map(OrdersResource::view)
                    .toList());
        }
        return Reply.ok(m);
    }

    private static Map<String, Object> view(Order o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", o.id());
        m.put("category", o.category());
        m.put("placedAt", o.placedAt().toString());
        return m;
    }
}
