package org.postfach.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postfach.intake.NewMessage;
import org.postfach.store.Database;
import org.postfach.store.JdbcArchiveStore;
import org.postfach.store.JdbcMessageStore;

/** SPEC §8: a changed or removed archive entry is found, and named, by {@code archive verify}. */
class ChainVerifierTest {
    Database db;
    JdbcMessageStore messages;
    ChainVerifier verifier;
    JdbcArchiveStore archive;

    @BeforeEach
    void open() {
        db = Database.open("jdbc:h2:mem:" + UUID.randomUUID(), 4);
        db.migrate();
        messages = new JdbcMessageStore(db.jdbc());
        archive = new JdbcArchiveStore(db.jdbc());
        verifier = new ChainVerifier(archive);
        for (int i = 1; i <= 4; i++) {
            byte[] raw = ("Subject: m" + i + "\r\n\r\nBody " + i + "\r\n").getBytes();
            messages.save(List.of(new NewMessage(Instant.parse("2026-11-0" + i + "T10:00:00.123456Z"), "seller-to-buyer",
                    NewMessage.QUEUED, "s1", "b1", "alias@marketplace.example", null, "seller@shop.example",
                    "alias@marketplace.example", "buyer@buyer.example", "m" + i, "Body " + i, "<m" + i + "@marketplace.example>",
                    null, "seller:s1", false, raw, raw, "bounce@marketplace.example", null, List.of())), List.of());
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void anUntouchedArchiveVerifies() {
        ChainVerifier.Result r = verifier.verify();
        assertThat(r.ok()).as(r.problem()).isTrue();
        assertThat(r.checked()).isEqualTo(4);
    }

    @Test
    void oneChangedByteIsFoundInExactlyThatEntry() {
        byte[] body = archive.raw(2, "original").orElseThrow();
        body[body.length - 3] ^= 1;
        db.jdbc().update("UPDATE message_bodies SET content = ? WHERE message_id = 2 AND form = 'ORIGINAL'", body);
        ChainVerifier.Result r = verifier.verify();
        assertThat(r.brokenAt()).contains(2L);
        assertThat(r.problem()).isEqualTo("entry 2: its content does not match its hash");
    }

    @Test
    void aChangedFieldIsFoundToo() {
        db.jdbc().update("UPDATE messages SET envelope_from = 'other@shop.example' WHERE id = 3");
        assertThat(verifier.verify().brokenAt()).contains(3L);
    }

    @Test
    void aRemovedEntryIsFoundAtTheEntryAfterIt() {
        remove(2);
        ChainVerifier.Result r = verifier.verify();
        assertThat(r.brokenAt()).contains(3L);
        assertThat(r.problem()).isEqualTo("entry 3: the entry before it was changed or removed");
    }

    @Test
    void aRemovedLastEntryIsFoundAtTheHead() {
        remove(4);
        ChainVerifier.Result r = verifier.verify();
        assertThat(r.brokenAt()).contains(4L);
        assertThat(r.problem()).contains("last entry");
    }

    @Test
    void purgedEntriesKeepTheChainVerifiable() {
        archive.setLegalHold(2, true);
        int purged = archive.purge(Instant.parse("2026-11-04T00:00:00Z"), Instant.parse("2026-12-10T00:00:00Z"));
        assertThat(purged).isEqualTo(2); // 1 and 3; 2 is held, 4 is too young
        assertThat(archive.raw(1, "original")).isEmpty();
        assertThat(archive.raw(2, "original")).isPresent();
        assertThat(archive.message(1).orElseThrow().subject()).isNull();
        assertThat(verifier.verify().ok()).isTrue();
    }

    void remove(long id) {
        db.jdbc().inTransaction(() -> {
            db.jdbc().update("DELETE FROM message_bodies WHERE message_id = ?", id);
            db.jdbc().update("DELETE FROM outbound_queue WHERE message_id = ?", id);
            db.jdbc().update("DELETE FROM policy_events WHERE message_id = ?", id);
            return db.jdbc().update("DELETE FROM messages WHERE id = ?", id);
        });
    }
}
