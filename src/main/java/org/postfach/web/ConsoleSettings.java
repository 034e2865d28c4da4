package org.postfach.web;

import com.sun.net.httpserver.HttpExchange;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.postfach.directory.ConsoleAccess;
import org.postfach.directory.Seller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The console's settings (SPEC §10). */
final class ConsoleSettings {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSettings.class);
    private final PebbleTemplate page = Pages.template("console-settings.peb");
    private final Console c;

    ConsoleSettings(Console c) {
        this.c = c;
    }

    /**
     * SPEC §10's settings: bounce notices on or off (with the warning that blocked mail then goes unnoticed), the
     * authorized sender addresses, the customer-service address, a new SMTP password (shown once), today's count
     * against the daily limit, and response times. Each change is a POST with the session's CSRF token.
     */
    Pages.Page settings(HttpExchange ex, Pages.Asked asked, ConsoleAccess.Session session) throws IOException {
        String lang = asked.lang();
        Map<String, String> t = Pages.texts("console", lang);
        String sellerId = session.sellerId();
        String problem = null;
        String done = null;
        String password = null;
        if (asked.post()) {
            if (!Console.sameToken(session.csrf(), asked.form().get("csrf"))) {
                return Console.expired();
            }
            String action = asked.form().getOrDefault("action", "");
            try {
                switch (action) { // each as behind the API's routes
                    case "notices" -> c.directory.updateSeller(sellerId, null, null,
                            "on".equals(asked.form().get("notices")), null);
                    case "addAddress" -> c.directory.authorizeAddress(sellerId, address(asked.form().get("address")));
                    case "removeAddress" -> c.directory.withdrawAddress(sellerId, address(asked.form().get("address")));
                    case "customerService" -> c.directory.updateSeller(sellerId, null,
                            address(asked.form().get("address")), null, null);
                    case "password" -> password = c.directory.issueCredentials(sellerId);
                    default -> problem = t.get("unknownAction");
                }
                if (problem == null) {
                    done = t.get(action.equals("password") ? "passwordDone" : "saved");
                    LOG.info("seller {} changed its settings in the console: {}", sellerId, action);
                }
            } catch (org.postfach.directory.DirectoryException e) {
                problem = t.get(switch (e.kind()) {
                    case CONFLICT -> action.equals("removeAddress") ? "registeredStays" : "addressTaken";
                    case NOT_FOUND -> "addressUnknown";
                    default -> "addressInvalid";
                });
            }
        }
        Seller seller = c.directory.seller(sellerId);
        org.postfach.archive.Stats stats = c.archive.stats(sellerId);
        Map<String, Object> model = new HashMap<>();
        model.put("lang", lang);
        model.put("t", t);
        model.put("seller", seller.name());
        model.put("csrf", session.csrf());
        model.put("notices", seller.bounceNotices());
        model.put("registered", seller.email().toString());
        model.put("addresses", c.directory.sellerAddresses(sellerId).stream().map(Object::toString).toList());
        model.put("customerService", seller.customerServiceEmail().toString());
        model.put("sentToday", stats.sentToday());
        model.put("dailyLimit", stats.dailyLimit());
        model.put("awaitingCount", stats.awaitingResponse());
        model.put("averageResponse", stats.averageResponseSeconds() == null ? "–"
                : Console.age(Duration.ofSeconds(stats.averageResponseSeconds()), lang));
        model.put("within24h", stats.answeredWithin24h() == null ? "–"
                : Math.round(stats.answeredWithin24h() * 100) + " %");
        model.put("password", password);
        model.put("username", seller.email().toString());
        model.put("problem", problem);
        model.put("done", done);
        return Pages.render(page, problem == null ? 200 : 400, model);
    }

    /** An address from a form, or INVALID as the directory would say it. */
    private static org.postfach.mail.Address address(String text) {
        return org.postfach.mail.Address.parse(text == null ? "" : text.strip())
                .orElseThrow(() -> org.postfach.directory.DirectoryException.invalid("not an address"));
    }
}
