/**
 * Signed links for the buyer's one-click opt-out and the seller's in-mail actions (SPEC §10): make and verify
 * tokens. No HTTP here; the pages that open the links are in {@code org.postfach.web}.
 */
package org.postfach.links;
