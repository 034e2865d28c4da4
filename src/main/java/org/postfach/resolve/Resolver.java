package org.postfach.resolve;

import java.util.List;
import java.util.Optional;
import org.postfach.bounce.VerpAddresses;
import org.postfach.directory.AliasOwner;
import org.postfach.directory.Buyer;
import org.postfach.directory.Directory;
import org.postfach.directory.Seller;
import org.postfach.mail.Address;
import org.postfach.mail.Replies;
import org.postfach.mail.SmtpReply;

/**
 * Relay control: who the sender is, who the recipient is, and whether this pair may talk (SPEC §3).
 * Postfach is never an open relay: only addresses on the alias domain are accepted as recipients.
 * The sender is identified before the alias is looked up, so that unknown senders learn nothing
 * about which aliases exist, and foreign aliases answer exactly like unknown ones (SPEC §2).
 */
public final class Resolver {
    private final Directory directory;
    private final String domain;
    private final List<String> carrierDomains;
    private final VerpAddresses verp;

    public Resolver(Directory directory, String domain, List<String> carrierDomains, VerpAddresses verp) {
        this.directory = directory;
        this.domain = domain;
        this.carrierDomains = carrierDomains;
        this.verp = verp;
    }

    /** Resolves one {@code RCPT TO}; {@code sender} is empty for the null sender {@code <>}. */
    public Resolution recipient(Optional<Address> sender, Address recipient) {
        if (!recipient.inDomain(domain)) {
            return Resolution.refuse(Replies.RELAY_DENIED);
        }
        if (verp.looksLikeBounceAddress(recipient.local())) {
            // SPEC §3.4: reports come with any sender, usually <>. An unsigned or forged bounce address answers
            // like an unknown alias, so nobody can make the relay send notices (no backscatter).
            return verp.token(recipient.local()).map(t -> Resolution.of(new Route.BounceReturn(t)))
                    .orElse(Resolution.refuse(Replies.NO_SUCH_RECIPIENT));
        }
        if (sender.isEmpty()) {
            return Resolution.refuse(Replies.NULL_SENDER_REFUSED);
        }
        Address from = sender.get();
        Optional<Seller> seller = directory.sellerByAddress(from);
        Optional<Buyer> buyer = seller.isPresent() ? Optional.empty() : directory.buyerByEmail(from);
        Optional<String> carrier = seller.isPresent() || buyer.isPresent() ? Optional.empty() : carrierDomain(from);
        if (seller.isEmpty() && buyer.isEmpty() && carrier.isEmpty()) {
            return Resolution.refuse(Replies.SENDER_NOT_AUTHORIZED);
        }
        Optional<AliasOwner> owner = directory.owner(recipient.toString());
        if (owner.isEmpty()) {
            return Resolution.refuse(Replies.NO_SUCH_RECIPIENT);
        }
        AliasOwner o = owner.get();
        if (seller.isPresent()) {
            if (o.isSellerAlias()) {
                return Resolution.refuse(Replies.SELLER_TO_SELLER);
            }
            // SPEC §3.1: only the seller's own buyers; another seller's buyer alias answers like an unknown one.
            return o.seller().id().equals(seller.get().id())
                    ? Resolution.of(new Route.SellerToBuyer(o.seller(), o.buyer(), o.alias(), o.optedOut()))
                    : Resolution.refuse(Replies.NO_SUCH_RECIPIENT);
        }
        if (buyer.isPresent()) {
            return o.isSellerAlias()
                    ? Resolution.of(new Route.BuyerToSeller(buyer.get(), o.seller()))
                    : Resolution.refuse(Replies.NO_SUCH_RECIPIENT);
        }
        return o.isSellerAlias()
                ? Resolution.refuse(Replies.NO_SUCH_RECIPIENT)
                : Resolution.of(new Route.CarrierToBuyer(carrier.get(), o.seller(), o.buyer(), o.alias()));
    }

    /** SPEC §3.1, §3.2: the {@code From:} header must name the same party as the envelope. */
    public Optional<SmtpReply> checkFrom(Route route, Optional<Address> headerFrom) {
        if (headerFrom.isEmpty()) {
            return Optional.of(Replies.MISSING_FROM);
        }
        Address from = headerFrom.get();
        boolean ok;
        if (route instanceof Route.SellerToBuyer r) {
            ok = directory.sellerByAddress(from).map(s -> s.id().equals(r.seller().id())).orElse(false);
        } else if (route instanceof Route.BuyerToSeller r) {
            ok = r.buyer().email().equals(from);
        } else {
            ok = carrierDomain(from).isPresent();
        }
        return ok ? Optional.empty() : Optional.of(Replies.FROM_NOT_AUTHORIZED);
    }

    private Optional<String> carrierDomain(Address from) {
        return carrierDomains.stream()
                .filter(d -> from.domain().equals(d) || from.domain().endsWith("." + d))
                .findFirst();
    }
}
