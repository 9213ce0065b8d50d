-- The command side's own state next to the event store. None of it is an event: keys are secret,
-- credentials are only hashes, and the rest is derived from events in the same transaction.

-- Signing keys. Private keys are sealed (AES-256-GCM) with the master key from configuration.
CREATE TABLE signing_key (
    kid            VARCHAR(64)  NOT NULL PRIMARY KEY,
    purpose        VARCHAR(16)  NOT NULL CHECK (purpose IN ('issuer', 'receipt')),
    election_id    VARCHAR(64),
    algorithm      VARCHAR(64)  NOT NULL,
    public_spki    BYTEA        NOT NULL,
    sealed_private BYTEA        NOT NULL,
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- The elections as vote intake and the admin API need them, kept in step with the Election aggregate's events
-- in the same transaction.
CREATE TABLE election (
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
    receipt_key  JSONB        NOT NULL
);

-- One row per accepted vote, written in the transaction that appends its VoteCast event.
-- The primary key makes an idempotency key usable once across all ballots; the receipt is re-signed from it.
CREATE TABLE vote_receipt (
    idempotency_key VARCHAR(36)  NOT NULL PRIMARY KEY,
    election_id     VARCHAR(64)  NOT NULL,
    ballot_id       VARCHAR(64)  NOT NULL,
    vote_id         VARCHAR(36)  NOT NULL,
    vote_hash       VARCHAR(64)  NOT NULL,
    accepted_at     TIMESTAMPTZ  NOT NULL,
    receipt_kid     VARCHAR(64)  NOT NULL
);

-- Credentials of 'credential' elections, stored as SHA-256 hashes; the answer given for one is kept
-- so that the same request gets the same answer.
CREATE TABLE election_credential (
    credential_hash BYTEA        NOT NULL PRIMARY KEY,
    election_id     VARCHAR(64)  NOT NULL,
    request_hash    BYTEA,
    answer_json     TEXT,
    used_at         TIMESTAMPTZ
);
