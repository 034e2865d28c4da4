/**
 * Inbound sender proof (SPEC §7): mail that claims a registered seller or buyer must show SPF or DKIM aligned
 * with its {@code From:} domain, as DMARC does. Core: it uses jSPF and jDKIM over the narrow {@link
 * org.postfach.proof.Dns} port, never the SMTP, storage or HTTP adapters.
 */
package org.postfach.proof;
