package org.postfach.policy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postfach.mail.Replies;
import org.postfach.resolve.Route;

/**
 * SPEC §4 daily limit: per seller and UTC day, {@code perOrder} × the average daily orders of the last 30 days
 * + {@code base} messages. Seller mail and carrier mail on the seller's behalf count (SPEC §3.3), blocked
 * messages included (each one costs a notice); buyer mail does not. Checked at RCPT so that the sender learns
 * early, and claimed atomically in the transaction that stores the message.
 */
public final class DailyLimit {
    static final Duration WINDOW = Duration.ofDays(30);
    static final Duration REUSE = Duration.ofMinutes(1);
    private final java.util.concurrent.ConcurrentHashMap<String, Known> known = new java.util.concurrent.ConcurrentHashMap<>();
    private final SendLog log;
    private final int perOrder;
    private final int base;
    private final Clock clock;

    public DailyLimit(SendLog log, int perOrder, int base, Clock clock) {
        this.log = log;
        this.perOrder = perOrder;
        this.base = base;
        this.clock = clock;
    }

    public String name() {
        return "daily-limit";
    }

    public static boolean counts(Route route) {
        return route instanceof Route.SellerToBuyer || route instanceof Route.CarrierToBuyer;
    }

    /**
     * The limit for this seller now: whole messages, the average rounded down. Worked out at most once a minute
     * per seller (it moves by a sixth of a message per order; counting 30 days of orders at every RCPT and again
     * at every commit was 5 % of the relay's CPU under load, bench/RESULTS.md).
     */
    public int limit(String sellerId) {
        Instant now = clock.instant();
        Known k = known.get(sellerId);
        if (k != null && !now.isBefore(k.at()) && now.isBefore(k.at().plus(REUSE))) {
            return k.limit();
        }
        int limit = compute(perOrder, base, log.ordersSince(sellerId, now.minus(WINDOW)));
        if (known.size() > 100_000) {
            known.clear(); // a bound, not a policy: sellers come back at their next message
        }
        known.put(sellerId, new Known(limit, now));
        return limit;
    }

    private record Known(int limit, Instant at) {
    }

    /** {@code perOrder × ordersInWindow / 30 + base}, rounded down. */
    public static int compute(int perOrder, int base, long ordersInWindow) {
        return (int) Math.min(Integer.MAX_VALUE, base + perOrder * ordersInWindow / WINDOW.toDays());
    }

    /** At RCPT: would one more message, after {@code pending} already in this transaction, pass the limit? */
    public Verdict check(Route route, int pending) {
        if (!counts(route)) {
            return Verdict.CONTINUE;
        }
        String seller = route.seller().id();
        int limit = limit(seller);
        return log.sentOn(seller, today()) + pending + 1 > limit
                ? new Verdict.Defer(name(), Replies.dailyLimit(limit)) : Verdict.CONTINUE;
    }

    /** The claims to take with the messages of one DATA, one per seller. */
    public List<Quota> quotas(List<Route> routes) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Route r : routes) {
            if (counts(r)) {
                counts.merge(r.seller().id(), 1, Integer::sum);
            }
        }
        List<Quota> out = new ArrayList<>();
        LocalDate day = today();
        counts.forEach((seller, n) -> out.add(new Quota(seller, day, n, limit(seller))));
        return out;
    }

    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
