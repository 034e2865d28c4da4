package org.postfach.api;

import java.util.LinkedHashMap;
import java.util.Map;
import org.postfach.directory.Directory;
import org.postfach.directory.Seller;
import org.postfach.mail.Address;

/** {@code /api/sellers}: registration, reading, changes and authorized sender addresses (SPEC §9). */
final class SellersResource {
    private final Directory directory;

    SellersResource(Directory directory) {
        this.directory = directory;
    }

    Reply create(Request r) {
        Body b = r.body().only("id", "name", "email", "customerServiceEmail");
        String id = b.id("id", false);
        String name = b.text("name", true, 200);
        Address email = b.email("email", true);
        Address cs = b.email("customerServiceEmail", true);
        return Reply.created(view(directory.registerSeller(id, name, email, cs)));
    }

    Reply get(Request r) {
        return Reply.ok(view(directory.seller(r.param("id"))));
    }

    Reply patch(Request r) {
        Body b = r.body().only("name", "customerServiceEmail", "bounceNotices", "disabled");
        Seller s = directory.updateSeller(r.param("id"), b.text("name", false, 200),
                b.email("customerServiceEmail", false), b.bool("bounceNotices"), b.bool("disabled"));
        return Reply.ok(view(s));
    }

    /** SPEC §9: the password is in this answer and nowhere else; only its salted slow hash is stored. */
    Reply credentials(Request r) {
        String id = r.param("id");
        String password = directory.issueCredentials(id);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sellerId", id);
        m.put("username", directory.seller(id).email().toString());
        m.put("password", password);
        return Reply.created(m);
    }

    /** SPEC §10: a single-use sign-in link to the console, valid 10 minutes, for the marketplace's own portal. */
    Reply consoleLink(Request r, org.postfach.directory.ConsoleAccess console) {
        org.postfach.directory.ConsoleAccess.Link link = console.newLink(r.param("id"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", link.url());
        m.put("expiresAt", link.expiresAt().toString());
        return Reply.created(m);
    }

    Reply stats(Request r, org.postfach.archive.Archive archive) {
        String id = r.param("id");
        directory.seller(id); // 404 for an unknown seller
        org.postfach.archive.Stats s = archive.stats(id);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sellerId", id);
        m.put("sentToday", s.sentToday());
        m.put("dailyLimit", s.dailyLimit());
        m.put("awaitingResponse", s.awaitingResponse());
        m.put("averageResponseSeconds", s.averageResponseSeconds());
        m.put("answeredWithin24h", s.answeredWithin24h());
        m.put("blocked", s.blocked());
        m.put("blockedByRule", s.blockedByRule());
        m.put("policyEventsByRule", s.policyEventsByRule());
        return Reply.ok(m);
    }

    Reply addAddress(Request r) {
        Address email = r.body().only("email").email("email", true);
        directory.authorizeAddress(r.param("id"), email);
        return Reply.created(view(directory.seller(r.param("id"))));
    }

    Reply removeAddress(Request r) {
        Address email = Address.parse(r.param("email"))
                .orElseThrow(() -> ApiException.badRequest("email: not a valid e-mail address"));
        directory.withdrawAddress(r.param("id"), email);
        return Reply.ok(view(directory.seller(r.param("id"))));
    }

    private Map<String, Object> view(Seller s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("name", s.name());
        m.put("email", s.email().toString());
        m.put("customerServiceEmail", s.customerServiceEmail().toString());
        m.put("alias", s.alias());
        m.put("bounceNotices", s.bounceNotices());
        m.put("disabled", s.disabled());
        m.put("addresses", directory.sellerAddresses(s.id()).stream().map(Address::toString).toList());
        return m;
    }
}
