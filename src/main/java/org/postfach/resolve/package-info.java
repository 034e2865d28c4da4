/**
 * Resolve: envelope sender and recipient to a {@link org.postfach.resolve.Route} or a refusal.
 * Invariant: the relay gate lives here and only here; nothing outside the alias domain is ever a recipient.
 */
package org.postfach.resolve;
