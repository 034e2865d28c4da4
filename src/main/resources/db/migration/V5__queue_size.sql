-- Postfach schema, version 5: a queue entry carries the size of the form it delivers, so a lease need not read
-- the body to learn it (bench/run.sh: the lease's join with message_bodies read every body once more).
ALTER TABLE outbound_queue ADD COLUMN size_bytes BIGINT;
UPDATE outbound_queue SET size_bytes = (SELECT OCTET_LENGTH(b.content) FROM message_bodies b
    WHERE b.message_id = outbound_queue.message_id AND b.form = 'DELIVERED')
WHERE state IN ('QUEUED', 'SENDING', 'DEFERRED');
