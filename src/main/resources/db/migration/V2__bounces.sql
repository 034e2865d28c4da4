-- Postfach schema, version 2: a received bounce (DSN) points at the message it is about (SPEC §3.4).
ALTER TABLE messages ADD COLUMN related_id BIGINT;
CREATE INDEX messages_related ON messages (related_id);
