package org.postfach.api;

import java.util.LinkedHashMap;
import java.util.Map;
import org.postfach.directory.Buyer;
import org.postfach.directory.Directory;

/** {@code /api/buyers}: registration, reading and the opt-out (SPEC §9). */
final class BuyersResource {
    private final Directory directory;

    BuyersResource(Directory directory) {
        this.directory = directory;
    }

    Reply create(Request r) {
        Body b = r.body().only("id", "name", "email");
        return Reply.created(view(directory.registerBuyer(b.id("id", false), b.text("name", true, 200),
                b.email("email", true))));
    }

    Reply get(Request r) {
        return Reply.ok(view(directory.buyer(r.param("id"))));
    }

    Reply patch(Request r) {
        Body b = r.body().only("optedOut");
        Boolean optedOut = b.bool("optedOut");
        if (optedOut == null) {
            throw ApiException.badRequest("optedOut: required");
        }
        return Reply.ok(view(directory.setOptedOut(r.param("id"), optedOut)));
    }

    /** {@code optedOutSellers}: the sellers the buyer opted out of in one click (SPEC §10), by id. */
    Map<String, Object> view(Buyer b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", b.id());
        m.put("name", b.name());
        m.put("email", b.email().toString());
        m.put("optedOut", b.optedOut());
        m.put("optedOutSellers", directory.optedOutSellers(b.id()));
        return m;
    }
}
