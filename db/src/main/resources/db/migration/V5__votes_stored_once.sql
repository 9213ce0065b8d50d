-- Each vote is stored once, in its VoteCast event. A board line only names its event, by the event's global index,
-- and the board is read from the events. What a line kept before (the signed vote, its hash, its acceptance time,
-- and its ballot and sequence number under a unique index of random keys) cost each vote about a third of its
-- write-ahead log; global indexes arrive in about increasing order, so their index grows at its right edge.
ALTER TABLE board_entry ADD COLUMN event_index BIGINT;
UPDATE board_entry b SET event_index = e.global_index
    FROM domain_event_entry e
    WHERE e.aggregate_identifier = b.ballot_id AND e.sequence_number = b.sequence_number;
ALTER TABLE board_entry
    ALTER COLUMN event_index SET NOT NULL,
    DROP COLUMN ballot_id,
    DROP COLUMN sequence_number,
    DROP COLUMN accepted_at,
    DROP COLUMN vote_hash,
    DROP COLUMN vote,
    ADD CONSTRAINT board_entry_event UNIQUE (event_index);

-- Axon makes event identifiers as random UUIDs and never looks an event up by one; their unique index cost every
-- vote an index entry under a random key.
ALTER TABLE domain_event_entry DROP CONSTRAINT domain_event_entry_event_identifier;
