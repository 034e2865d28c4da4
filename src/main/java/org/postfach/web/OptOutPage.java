package org.postfach.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.postfach.directory.Directory;
import org.postfach.directory.DirectoryException;
import org.postfach.directory.Seller;
import org.postfach.links.Links;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SPEC §10, the buyer's opt-out of one seller in one click: {@code {web.publicUrl}/unsubscribe/<token>}, the link of
 * every seller message's {@code List-Unsubscribe}. Opening it ({@code GET}) changes nothing and shows the choice with
 * one button, so that mail scanners that follow links opt nobody out; a {@code POST} acts: the mailbox provider's
 * RFC 8058 one-click {@code List-Unsubscribe=One-Click}, or the page's button. The page then offers to undo it. No
 * sign-in: the sealed token names the buyer and the seller. The page shows the seller's name and nothing of the
 * buyer; English or German ({@code Accept-Language}, or the switch).
 */
public final class OptOutPage implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(OptOutPage.class);
    private final Links links;
    private final Directory directory;
    private final Clock clock;
    private final PebbleTemplate template = Pages.template("opt-out.peb");

    public OptOutPage(Links links, Directory directory, Clock clock) {
        this.links = links;
        this.directory = directory;
        this.clock = clock;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        Pages.serve(ex, "opt-out", asked -> answer(ex, asked));
    }

    private Pages.Page answer(HttpExchange ex, Pages.Asked asked) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        String token = path.startsWith(Links.OPT_OUT_PATH) ? path.substring(Links.OPT_OUT_PATH.length()) : "";
        Optional<Links.Link> link = links.read(token, clock.instant())
                .filter(l -> l.action() == Links.Action.OPT_OUT);
        Optional<Seller> seller = link.flatMap(this::seller);
        if (seller.isEmpty()) {
            return render(404, asked.lang(), "invalid", null, null);
        }
        String buyerId = link.get().subject();
        String sellerId = seller.get().id();
        String done = null;
        if (asked.post()) {
            // RFC 8058: the one-click POST carries List-Unsubscribe=One-Click; the page's own buttons say which
            boolean undo = "undo".equals(asked.form().get("action"));
            directory.setOptedOut(buyerId, sellerId, !undo);
            LOG.info("buyer {} {} seller {} by link", buyerId, undo ? "opted in to" : "opted out of", sellerId);
            done = Pages.texts("optOut", asked.lang()).get(undo ? "doneIn" : "doneOut");
        }
        boolean out = directory.optedOut(buyerId, sellerId);
        return render(200, asked.lang(), out ? "out" : "in", seller.get().name(), done);
    }

    private Optional<Seller> seller(Links.Link link) {
        try {
            directory.buyer(link.subject());
            return Optional.of(directory.seller(link.party()));
        } catch (DirectoryException e) {
            return Optional.empty(); // sealed by us, but the buyer or the seller is gone
        }
    }

    private Pages.Page render(int status, String lang, String state, String sellerName, String done)
            throws IOException {
        Map<String, Object> model = new HashMap<>();
        model.put("lang", lang);
        model.put("t", Pages.texts("optOut", lang));
        model.put("state", state);
        model.put("seller", sellerName);
        model.put("done", done);
        return Pages.render(template, status, model);
    }
}
