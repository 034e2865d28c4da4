package org.postfach.policy;

/** Thrown by a store when a {@link Quota} does not fit any more; nothing of the transaction was stored. */
public final class QuotaExceededException extends RuntimeException {
    private final transient Quota quota;

    public QuotaExceededException(Quota quota) {
        super("daily limit " + quota.limit() + " reached for seller " + quota.sellerId());
        this.quota = quota;
    }

    public Quota quota() {
        return quota;
    }
}
