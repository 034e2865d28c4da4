package org.postfach.mail;

/**
 * An SMTP reply with its RFC 3463 enhanced status code and a reason a person can read.
 * Only the smtp adapter turns it into wire format.
 */
public record SmtpReply(int code, String enhanced, String text) {

    public SmtpReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        if (!enhanced.matches("[245]\\.\\d{1,3}\\.\\d{1,3}") || enhanced.charAt(0) != Integer.toString(code).charAt(0)) {
            throw new IllegalArgumentException("enhanced status does not fit the code: " + code + " " + enhanced);
        }
    }

    public boolean positive() {
        return code < 400;
    }

    public boolean temporary() {
        return code >= 400 && code < 500;
    }

    public boolean permanent() {
        return code >= 500;
    }

    /** The reply with its text replaced, e.g. to insert a number into a catalogue entry. */
    public SmtpReply withText(String newText) {
        return new SmtpReply(code, enhanced, newText);
    }

    /** {@code 550 5.7.1 text}. */
    @Override
    public String toString() {
        return code + " " + enhanced + " " + text;
    }
}
