package org.postfach.policy;

import java.util.Locale;
import java.util.Set;
import org.postfach.directory.Order;
import org.postfach.resolve.Route;

/**
 * SPEC §4 exemption: the message concerns an order of this pair in a category buyers cannot opt out of
 * ({@code handmade}, {@code wine}, {@code custom}). The order number in the subject or the body ties the
 * message to the order; it must stand alone, not be part of a longer number.
 */
public final class OrderCategoryExemption implements Exemption {
    public static final Set<String> CATEGORIES = Set.of("handmade", "wine", "custom");
    private final OrderLookup orders;

    public OrderCategoryExemption(OrderLookup orders) {
        this.orders = orders;
    }

    @Override
    public String name() {
        return "order-category";
    }

    @Override
    public boolean holds(Candidate c) {
        if (!(c.route() instanceof Route.SellerToBuyer r)) {
            return false;
        }
        for (Order o : orders.orders(r.seller().id(), r.buyer().id())) {
            if (o.category() != null && CATEGORIES.contains(o.category().toLowerCase(Locale.ROOT))
                    && (o.namedIn(c.facts().subject()) || o.namedIn(c.facts().text()))) {
                return true;
            }
        }
        return false;
    }
}
