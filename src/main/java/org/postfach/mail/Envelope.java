package org.postfach.mail;

import java.util.Optional;

/**
 * What the SMTP session knows about a message besides its content: the client's address, its EHLO/HELO name
 * and the envelope sender ({@code MAIL FROM}, empty for the null sender). The sender proof (SPEC §7) needs them.
 */
public record Envelope(String clientIp, String helo, Optional<Address> sender) {
}
