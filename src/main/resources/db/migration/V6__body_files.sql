-- Postfach schema, version 6: on the embedded H2 (a file database) the raw forms of a message live in one file
-- beside the database, written and synced before the transaction that inserts these rows (ADR 0004, issue 10:
-- H2's copy-on-write file rewrote each large body two to three times). Such a row names its file and the form's
-- place in it, and its content is NULL; on PostgreSQL, and in rows written before this version, content holds
-- the bytes as before.
ALTER TABLE message_bodies ALTER COLUMN content DROP NOT NULL;
ALTER TABLE message_bodies ADD COLUMN file_name VARCHAR(100);
ALTER TABLE message_bodies ADD COLUMN file_offset BIGINT;
ALTER TABLE message_bodies ADD COLUMN file_length BIGINT;
