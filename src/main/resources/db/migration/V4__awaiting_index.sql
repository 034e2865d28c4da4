-- Postfach schema, version 4: every stored seller message ends "response required" on its buyer alias
-- (SPEC §8). Without this index that UPDATE scanned all of the seller's messages, so each commit grew with the
-- archive (found by bench/run.sh: 5 KB messages slowed to a crawl after some thousands).
CREATE INDEX messages_awaiting ON messages (seller_id, response_required, buyer_alias);
