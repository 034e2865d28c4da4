/**
 * The web front on the API's HTTP server (SPEC §10): pages rendered on the server (Pebble, every value escaped),
 * usable without JavaScript, in English and German. Now the buyer's one-click opt-out page and the seller's
 * in-mail action pages; the seller console joins them. Invariant, as for the API: nothing a client sends
 * produces a 500 or a stack trace.
 */
package org.postfach.web;
