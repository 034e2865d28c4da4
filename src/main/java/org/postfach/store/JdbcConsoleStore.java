package org.postfach.store;

import java.time.Instant;
import java.util.Optional;
import org.postfach.directory.ConsoleStore;

/** The console's sign-in links and sessions (V10), by the SHA-256 of their secrets. */
public final class JdbcConsoleStore implements ConsoleStore {
    private final Jdbc jdbc;

    public JdbcConsoleStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insertLink(String tokenHash, String sellerId, Instant expiresAt) {
        jdbc.update("INSERT INTO console_links (token_hash, seller_id, expires_at) VALUES (?, ?, ?)",
                tokenHash, sellerId, expiresAt);
    }

    @Override
    public Optional<String> linkSeller(String tokenHash, Instant now) {
        return jdbc.one("SELECT seller_id FROM console_links WHERE token_hash = ? AND used_at IS NULL"
                + " AND expires_at > ?", rs -> rs.getString(1), tokenHash, now);
    }

    @Override
    public boolean useLink(String tokenHash, Instant now) {
        return jdbc.update("UPDATE console_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL"
                + " AND expires_at > ?", now, tokenHash, now) == 1;
    }

    @Override
    public void insertSession(String idHash, String sellerId, String csrf, Instant createdAt, Instant expiresAt) {
        jdbc.update("INSERT INTO console_sessions (id_hash, seller_id, csrf, created_at, expires_at)"
                + " VALUES (?, ?, ?, ?, ?)", idHash, sellerId, csrf, createdAt, expiresAt);
    }

    @Override
    public Optional<String[]> session(String idHash, Instant now) {
        return jdbc.one("SELECT seller_id, csrf FROM console_sessions WHERE id_hash = ? AND expires_at > ?",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, idHash, now);
    }

    @Override
    public void deleteSession(String idHash) {
        jdbc.update("DELETE FROM console_sessions WHERE id_hash = ?", idHash);
    }
}
