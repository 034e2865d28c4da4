-- Postfach schema, version 9: a buyer's opt-out of one seller (SPEC §10, the List-Unsubscribe link of every
-- seller message). It belongs to the pair, so it lives on the pair's alias row, which routing already reads
-- for every seller message: the opt-out rule (SPEC §4) then costs no statement of its own. NULL: not opted out.
ALTER TABLE buyer_aliases ADD COLUMN opted_out_at TIMESTAMP WITH TIME ZONE;
