package org.postfach.delivery;

/**
 * A failed delivery attempt: temporary (retried) or permanent (the message fails). The diagnostic is the
 * remote server's text: it is stored, never copied into a notice (ARCHITECTURE).
 */
public final class DeliveryException extends Exception {
    private final boolean permanent;

    public DeliveryException(boolean permanent, String diagnostic, Throwable cause) {
        super(diagnostic, cause);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }
}
