/**
 * The SubEtha adapter: listeners, the transaction handler, our own DATA command. Turns intake results into
 * SMTP replies. Invariant: no reply is given before the whole DATA was read; nothing else imports SubEtha.
 */
package org.postfach.smtp;
