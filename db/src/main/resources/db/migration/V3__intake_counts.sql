-- What vote intake did, per election, for the admin statistics. Each command-side instance adds its own rows
-- (flushed about once a second), so counting never contends on one row; a reader sums over instances.
-- outcome: 'accepted', 'replayed', 'token-issued', or 'rejected:<problem slug>'.
CREATE TABLE intake_count (
    election_id VARCHAR(64) NOT NULL,
    instance_id VARCHAR(64) NOT NULL,
    outcome     VARCHAR(64) NOT NULL,
    count       BIGINT      NOT NULL,
    PRIMARY KEY (election_id, instance_id, outcome)
);
