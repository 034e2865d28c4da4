-- Postfach schema, version 7: the hourly retention purge (SPEC §8) finds the messages due through an index.
-- Without it the purge read every archive row four times an hour, whether anything was due or not (0.5-2.6 s
-- with none due at 30,000 messages, growing with the archive). An unpurged message past retention is
-- (purged_at NULL, received_at before the cut-off): one range of this index. Version 8, in Java
-- (org.postfach.store.migration), gives the queue's message_id the index the purge and the archive view need.
CREATE INDEX messages_purge ON messages (purged_at, received_at);
