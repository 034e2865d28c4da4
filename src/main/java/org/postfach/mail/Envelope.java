package org.postfach.mail;

import java.util.Optional;

/**
 * What the SMTP session knows about a message besides its content: the client's address, its EHLO/HELO name
 * the envelope sender ({@code MAIL FROM}, empty for the null sender) and, on the submission port, the signed-in
 * seller. The sender proof (SPEC §7) needs them; signed-in mail is proven by the login.
 */
public record Envelope(String clientIp, String helo, Optional<Address> sender, Optional<String> signedInSeller) {
    public Envelope(String clientIp, String helo, Optional<Address> sender) {
        this(clientIp, helo, sender, Optional.empty());
    }
}
