-- Postfach schema, version 11: how many attachments a message has (SPEC §10: a paperclip in the console's lists),
-- taken from the attachment scan that intake makes anyway. Messages stored before this version count 0.
ALTER TABLE messages ADD COLUMN attachment_count INTEGER DEFAULT 0 NOT NULL;
