/**
 * The archive (SPEC §8): every accepted message with its forms, status, events and delivery attempts, searchable,
 * tamper-evident through a hash chain, purged after {@code retention.days} unless under legal hold.
 * Input: the stored messages through the {@link org.postfach.archive.ArchiveStore} port. Invariant: a changed
 * or removed entry is always found by {@link org.postfach.archive.ChainVerifier}.
 */
package org.postfach.archive;
