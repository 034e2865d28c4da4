/**
 * Value types every stage shares: addresses, SMTP replies and the reply catalogue.
 * Invariant: imports nothing from the rest of the project.
 */
package org.postfach.mail;
