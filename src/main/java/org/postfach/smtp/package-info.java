/**
 * The SubEtha adapter: listeners, the session gate and command loop, our own commands (EHLO, HELO, MAIL, RCPT,
 * DATA, STARTTLS, ...), TLS from PEM files. Turns intake results into SMTP replies (texts in
 * {@code mail.Replies}). Invariants: no reply is given before the whole DATA was read; every reply but the greeting
 * and EHLO/HELO carries an RFC 3463 code; every bound (connections, line length, errors, idle and session time)
 * answers with a reply, never a hang; nothing else imports SubEtha (ADR 0002, 0003).
 */
package org.postfach.smtp;
