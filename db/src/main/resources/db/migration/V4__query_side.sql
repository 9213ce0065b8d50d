-- The query side's read models, kept by its "read-models" event processor in the transaction that moves the
-- processor's token. A replay (POST /api/v1/admin/replay) empties the elections and tallies and builds them again
-- from the event store; the bulletin board is append-only, so a replay only adds lines it lacks and the positions
-- auditors hold stay valid.

-- The election catalogue, with the public keys. status is the recorded one; readers move it on by opens_at and
-- closes_at as the command side does.
CREATE TABLE election_view (
    election_id  VARCHAR(64)  NOT NULL PRIMARY KEY,
    title        TEXT         NOT NULL,
    description  TEXT         NOT NULL,
    options      JSONB        NOT NULL,
    status       VARCHAR(16)  NOT NULL,
    opens_at     TIMESTAMPTZ,
    closes_at    TIMESTAMPTZ,
    eligibility  VARCHAR(16)  NOT NULL,
    live_results BOOLEAN      NOT NULL,
    revoting     BOOLEAN      NOT NULL,
    issuer_key   JSONB        NOT NULL,
    receipt_key  JSONB        NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL
);

-- One row per election. position counts the votes applied (revotes included), so it grows with every change and
-- equals the number of the election's lines on the bulletin board; as_of is the time of the newest event applied.
CREATE TABLE tally (
    election_id VARCHAR(64)  NOT NULL PRIMARY KEY,
    position    BIGINT       NOT NULL,
    as_of       TIMESTAMPTZ  NOT NULL
);

-- Every option of every election, 0 until a vote counts for it; ordinal is the option's place on the ballot.
CREATE TABLE tally_count (
    election_id VARCHAR(64)  NOT NULL,
    option_id   VARCHAR(64)  NOT NULL,
    ordinal     INTEGER      NOT NULL,
    count       BIGINT       NOT NULL,
    PRIMARY KEY (election_id, option_id)
);

-- The option each ballot counts for: with revoting, a newer vote moves the ballot's count. sequence_number is the
-- ballot's event sequence number of that vote, so that an event applied twice is recognised and skipped.
CREATE TABLE tally_ballot (
    ballot_id       VARCHAR(64)  NOT NULL PRIMARY KEY,
    election_id     VARCHAR(64)  NOT NULL,
    option_id       VARCHAR(64)  NOT NULL,
    sequence_number BIGINT       NOT NULL
);

-- The public bulletin board: every accepted vote, numbered 1, 2, 3... per election in the order the votes were
-- committed (as the query side saw them). vote is the signed vote's canonical JSON (RFC 8785), so that its
-- SHA-256 is the voteHash. (ballot_id, sequence_number) names the VoteCast event a line comes from.
CREATE TABLE board_entry (
    election_id     VARCHAR(64)  NOT NULL,
    position        BIGINT       NOT NULL,
    ballot_id       VARCHAR(64)  NOT NULL,
    sequence_number BIGINT       NOT NULL,
    accepted_at     TIMESTAMPTZ  NOT NULL,
    vote_hash       VARCHAR(64)  NOT NULL,
    vote            TEXT         NOT NULL,
    CONSTRAINT board_entry_pkey PRIMARY KEY (election_id, position),
    CONSTRAINT board_entry_event UNIQUE (ballot_id, sequence_number)
);
