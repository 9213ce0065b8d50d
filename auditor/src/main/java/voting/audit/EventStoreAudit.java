package voting.audit;

import com.fasterxml.jackson.databind.JsonNode;
import voting.audit.Finding.Kind;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.HashSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The audit from the event store: an election's events read straight from PostgreSQL (Axon's
 * {@code domain_event_entry}, JSON payloads), each vote verified, then checked against what the query side
 * published from them — the bulletin board ({@code board_entry}) and the tally ({@code tally}, {@code tally_count})
 * — and against the receipts the command side recorded ({@code vote_receipt}, when readable).
 * <p>
 * Everything is read in one read-only, repeatable-read transaction: one consistent snapshot, whatever the
 * services write meanwhile.
 */
final class EventStoreAudit {

    static final String ELECTION_CREATED = "voting.events.ElectionEvents$ElectionCreated";
    static final String ELECTION_OPENED = "voting.events.ElectionEvents$ElectionOpened";
    static final String ELECTION_CLOSED = "voting.events.ElectionEvents$ElectionClosed";
    private static final int FETCH = 1000;
    private static final long RETRY_MILLIS = 1500;

    /** A board line and the event it names: its ballot and sequence number, or null if no such event is stored. */
    private record BoardLine(long position, long eventIndex, String ballotId, Long sequenceNumber) {
    }

    private record Receipt(String idempotencyKey, String ballotId, String voteId, String voteHash,
                           Instant acceptedAt) {
    }

    /** A ballot's event that is not a vote: only its sequence number matters (and that it is there). */
    private record OtherEvent(long globalIndex, String aggregateId, long sequenceNumber, String payloadType) {
    }

    private final AuditOptions options;

    EventStoreAudit(AuditOptions options) {
        this.options = options;
    }

    AuditReport run() throws AuditException, InterruptedException {
        Properties properties = new Properties();
        if (options.user() != null) {
            properties.setProperty("user", options.user());
        }
        if (options.password() != null) {
            properties.setProperty("password", options.password());
        }
        properties.setProperty("ApplicationName", "voting-audit");
        // Results in PostgreSQL's binary format: payloads arrive as bytes rather than as hex text to decode.
        properties.setProperty("prepareThreshold", "-1");
        try (Connection connection = DriverManager.getConnection(options.jdbcUrl(), properties)) {
            connection.setReadOnly(true);
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            for (int attempt = 1; ; attempt++) {
                AuditReport report = new AuditReport("jdbc", options.source());
                long started = System.nanoTime();
                boolean settled;
                try {
                    settled = audit(connection, report, attempt == options.attempts());
                } finally {
                    connection.rollback();
                }
                report.seconds = (System.nanoTime() - started) / 1e9;
                if (settled || attempt >= options.attempts()) {
                    return report;
                }
                // Votes not yet on the board: the query side is catching up. Read a newer snapshot.
                Thread.sleep(RETRY_MILLIS);
            }
        } catch (SQLException e) {
            throw new AuditException("cannot read the event store at " + options.source() + ": " + e.getMessage(), e);
        }
    }

    /** @return false if votes were missing from the board and another, later snapshot may settle it */
    private boolean audit(Connection db, AuditReport report, boolean lastAttempt)
            throws SQLException, AuditException, InterruptedException {
        String electionId = options.electionId();
        Instant now = query(db, "SELECT now()", rs -> rs.getObject(1, OffsetDateTime.class).toInstant()).get(0);
        Election election = readElection(db, electionId, report);
        report.election = election;

        Timing.mark("election read");
        boolean receiptsReadable = receiptsReadable(db);

        // The votes first, so that the threads verifying them start at once; the board and the receipts are read
        // while they work.
        List<VoteRecord> votes = new ArrayList<>();
        List<OtherEvent> others = new ArrayList<>();
        List<BoardLine> board;
        List<Receipt> receipts;
        VoteVerifier verifier = new VoteVerifier(election);
        try (Verification verification = new Verification(options.threads(), verifier::verifyEvent);
             PreparedStatement events = db.prepareStatement(SELECT_EVENTS
                     + " WHERE payload LIKE ? AND aggregate_identifier <> ?")) {
            // The services write compact JSON: each event about this election has this text in its payload. A plain
            // scan, so rows stream out as they are found and verifying starts at once. (LIKE rather than position():
            // PostgreSQL searches bytea several times faster with it.)
            events.setBytes(1, ("%" + likeEscaped("\"electionId\":\"" + electionId + "\"") + "%")
                    .getBytes(StandardCharsets.UTF_8));
            events.setString(2, electionId);
            events.setFetchSize(FETCH);
            readEvents(events, votes, others, verification, Set.of());
            Timing.mark("events read");
            board = readBoard(db, electionId);
            receipts = receiptsReadable ? readReceipts(db, electionId) : null;
            Timing.mark("board and receipts read");
            // Then the whole history of every ballot whose events were not all found that way: ballots with a gap
            // in what was read, and ballots the board or a receipt names with events not read (a damaged payload,
            // or one rewritten to name another election).
            List<String> incomplete = incompleteBallots(votes, others, board, receipts);
            if (!incomplete.isEmpty()) {
                try (PreparedStatement rest = db.prepareStatement(SELECT_EVENTS + " WHERE aggregate_identifier = ANY(?)")) {
                    rest.setArray(1, db.createArrayOf("varchar", incomplete.toArray()));
                    rest.setFetchSize(FETCH);
                    Set<Long> read = new HashSet<>();
                    votes.forEach(vote -> read.add(vote.globalIndex));
                    others.forEach(other -> read.add(other.globalIndex()));
                    readEvents(rest, votes, others, verification, read);
                }
            }
            verification.finish();
            Timing.mark("votes verified");
            Timing.threads();
        }
        votes.sort(Comparator.comparingLong(vote -> vote.globalIndex));
        others.sort(Comparator.comparingLong(OtherEvent::globalIndex));
        // Each board line's event: the vote stored at the line's event index, if any.
        Map<Long, VoteRecord> byIndex = new HashMap<>(votes.size() * 2);
        votes.forEach(vote -> byIndex.put(vote.globalIndex, vote));
        List<VoteRecord> lineVotes = new ArrayList<>(board.size());
        for (BoardLine line : board) {
            VoteRecord vote = byIndex.get(line.eventIndex());
            if (vote != null && vote.position < 0) {
                vote.position = line.position();
            }
            lineVotes.add(vote);
        }
        report.boardLines = board.size();
        report.receipts = receipts == null ? null : (long) receipts.size();
        report.events += votes.size() + others.size();

        List<Finding> findings = report.findings;
        votes.forEach(vote -> findings.addAll(vote.findings()));
        report.votes = votes.size();
        report.validVotes = votes.stream().filter(vote -> vote.valid).count();
        // The checks across votes only read the votes: ballots and duplicates run on a second core while this
        // thread compares the board, the receipts and the tally (their findings are sorted together below).
        CompletableFuture<List<Finding>> acrossVotes = CompletableFuture.supplyAsync(() -> {
            List<Finding> out = new ArrayList<>();
            report.ballots = checkBallots(votes, others, election, out);
            Timing.mark("ballots checked");
            Analysis.checkDuplicates(votes, out);
            Timing.mark("duplicates checked");
            return out;
        });
        boolean settled = checkBoard(board, lineVotes, votes, election, now, lastAttempt, report);
        Timing.mark("board checked");
        if (receipts != null) {
            checkReceipts(receipts, votes, findings);
        } else {
            report.notes.add("the command side's vote_receipt table is not readable here: receipts not compared");
        }
        Timing.mark("receipts checked");
        checkTally(db, board, lineVotes, election, report);
        Timing.mark("tally checked");
        report.result = Analysis.recount(votes, election);
        report.resultTotal = Analysis.total(report.result);
        try {
            findings.addAll(acrossVotes.join());
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        report.sortFindings();
        Timing.mark("analysed");
        return settled;
    }

    private static final String SELECT_EVENTS = "SELECT global_index, aggregate_identifier, sequence_number, type, "
            + "payload_type, payload FROM domain_event_entry";

    /** {@code text} as a LIKE pattern matching exactly it: its {@code %}, {@code _} and {@code \} escaped. */
    static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** Reads events (rows of {@link #SELECT_EVENTS}) but those in {@code skip}, handing each vote to be verified. */
    private static void readEvents(PreparedStatement statement, List<VoteRecord> votes, List<OtherEvent> others,
                                   Verification verification, Set<Long> skip) throws SQLException, InterruptedException {
        try (ResultSet rs = statement.executeQuery()) {
            Timing.mark("events query answered");
            while (rs.next()) {
                long globalIndex = rs.getLong(1);
                if (skip.contains(globalIndex)) {
                    continue;
                }
                String aggregateId = rs.getString(2);
                long sequence = rs.getLong(3);
                String type = rs.getString(4);
                String payloadType = rs.getString(5);
                if (!VoteVerifier.VOTE_CAST.equals(payloadType)) {
                    others.add(new OtherEvent(globalIndex, aggregateId, sequence, payloadType));
                    continue;
                }
                VoteRecord vote = new VoteRecord(globalIndex, aggregateId, sequence, rs.getBytes(6));
                if (!"Ballot".equals(type)) {
                    vote.add(Kind.UNEXPECTED_EVENT, "a VoteCast stored as an event of a " + type + ", not of a Ballot");
                }
                votes.add(vote);
                verification.add(vote);
            }
        }
    }

    /**
     * The ballots whose history may not have been read whole: the events read of each are not numbered 0, 1, 2...
     * without a gap, or the board or a receipt names the ballot and an event of it that was not read.
     */
    private static List<String> incompleteBallots(List<VoteRecord> votes, List<OtherEvent> others,
                                                  List<BoardLine> board, List<Receipt> receipts) {
        Map<String, long[]> ballots = new HashMap<>(); // aggregate -> {events read, highest sequence number}
        votes.forEach(vote -> count(ballots, vote.aggregateId, vote.sequenceNumber));
        others.forEach(other -> count(ballots, other.aggregateId(), other.sequenceNumber()));
        Set<String> incomplete = new java.util.LinkedHashSet<>();
        ballots.forEach((ballot, read) -> {
            if (read[0] != read[1] + 1) {
                incomplete.add(ballot);
            }
        });
        for (BoardLine line : board) {
            if (line.ballotId() == null) {
                continue; // the line names no stored event: nothing more to read
            }
            long[] read = ballots.get(line.ballotId());
            if (read == null || line.sequenceNumber() > read[1]) {
                incomplete.add(line.ballotId());
            }
        }
        if (receipts != null) {
            for (Receipt receipt : receipts) {
                if (!ballots.containsKey(receipt.ballotId())) {
                    incomplete.add(receipt.ballotId());
                }
            }
        }
        return new ArrayList<>(incomplete);
    }

    private static void count(Map<String, long[]> ballots, String ballot, long sequence) {
        long[] read = ballots.computeIfAbsent(ballot, id -> new long[]{0, -1});
        read[0]++;
        read[1] = Math.max(read[1], sequence);
    }

    /** The election's own events: created, then perhaps opened, then perhaps closed, numbered 0, 1, 2. */
    private Election readElection(Connection db, String electionId, AuditReport report)
            throws SQLException, AuditException {
        record Row(long globalIndex, long sequence, String payloadType, byte[] payload) {
        }
        List<Row> rows = query(db, "SELECT global_index, sequence_number, payload_type, payload "
                        + "FROM domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number",
                rs -> new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getBytes(4)), electionId);
        if (rows.isEmpty()) {
            throw new AuditException("the event store has no election '" + electionId + "'");
        }
        report.events = rows.size();
        Row created = rows.get(0);
        if (!ELECTION_CREATED.equals(created.payloadType()) || created.sequence() != 0) {
            throw new AuditException("election '" + electionId + "' has no creation event at sequence 0 (event "
                    + created.globalIndex() + " is a " + created.payloadType() + "): it cannot be audited");
        }
        List<Finding> findings = report.findings;
        Election election;
        try {
            JsonNode payload = Json.parse(created.payload());
            election = Election.parse(payload, problem -> findings.add(Finding.aboutEvent(Kind.INVALID_ELECTION,
                    problem, created.globalIndex(), electionId, 0)));
            if (!electionId.equals(election.id)) {
                findings.add(Finding.aboutEvent(Kind.INVALID_ELECTION, "the creation event names election "
                        + election.id, created.globalIndex(), electionId, 0));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new AuditException("election '" + electionId + "': its creation event (event "
                    + created.globalIndex() + ") cannot be read, so the election cannot be audited: "
                    + e.getMessage(), e);
        }
        for (int i = 1; i < rows.size(); i++) {
            Row row = rows.get(i);
            if (row.sequence() != rows.get(i - 1).sequence() + 1) {
                findings.add(Finding.aboutEvent(Kind.ELECTION_HISTORY, "the election has no event at sequence "
                        + (rows.get(i - 1).sequence() + 1) + ": an event of its history is missing",
                        row.globalIndex(), electionId, row.sequence()));
            }
            boolean opened = ELECTION_OPENED.equals(row.payloadType());
            if (!opened && !ELECTION_CLOSED.equals(row.payloadType())) {
                findings.add(Finding.aboutEvent(Kind.UNEXPECTED_EVENT, "an election event of unknown type "
                        + row.payloadType(), row.globalIndex(), electionId, row.sequence()));
                continue;
            }
            String field = opened ? "openedAt" : "closedAt";
            Instant at = null;
            try {
                JsonNode payload = Json.parse(row.payload());
                at = Json.instant(payload.get(field));
                if (!electionId.equals(Json.text(payload, "electionId"))) {
                    findings.add(Finding.aboutEvent(Kind.ELECTION_HISTORY, "the event names election "
                            + Json.text(payload, "electionId"), row.globalIndex(), electionId, row.sequence()));
                }
            } catch (IOException e) {
                // reported below
            }
            if (at == null) {
                findings.add(Finding.aboutEvent(Kind.ELECTION_HISTORY, "the " + (opened ? "opening" : "closing")
                        + " event has no readable " + field, row.globalIndex(), electionId, row.sequence()));
            } else if (opened && (election.openedAt != null || election.closedAt != null)) {
                findings.add(Finding.aboutEvent(Kind.ELECTION_HISTORY, "the election is opened again",
                        row.globalIndex(), electionId, row.sequence()));
            } else if (!opened && election.closedAt != null) {
                findings.add(Finding.aboutEvent(Kind.ELECTION_HISTORY, "the election is closed again",
                        row.globalIndex(), electionId, row.sequence()));
            } else if (opened) {
                election.openedAt = at;
            } else {
                election.closedAt = at;
            }
        }
        return election;
    }

    private List<BoardLine> readBoard(Connection db, String electionId) throws SQLException {
        return query(db, "SELECT b.position, b.event_index, e.aggregate_identifier, e.sequence_number "
                        + "FROM board_entry b LEFT JOIN domain_event_entry e ON e.global_index = b.event_index "
                        + "WHERE b.election_id = ? ORDER BY b.position",
                rs -> new BoardLine(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getObject(4, Long.class)),
                electionId);
    }

    /** Whether the command side's receipts can be read here (not on an event-store-only replica, say). */
    private static boolean receiptsReadable(Connection db) throws SQLException {
        return query(db, "SELECT to_regclass('vote_receipt') IS NOT NULL "
                + "AND has_table_privilege('vote_receipt', 'SELECT')", rs -> rs.getBoolean(1)).get(0);
    }

    private List<Receipt> readReceipts(Connection db, String electionId) throws SQLException {
        return query(db, "SELECT idempotency_key, ballot_id, vote_id, vote_hash, " + MICROS.formatted("accepted_at")
                        + " FROM vote_receipt WHERE election_id = ?",
                rs -> new Receipt(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        micros(rs.getLong(5))), electionId);
    }

    /** Each ballot's events numbered 0, 1, 2... with no gap, and its votes following the ballot's rules. */
    /** @return the number of ballots that hold a vote */
    private static long checkBallots(List<VoteRecord> votes, List<OtherEvent> others, Election election,
                                     List<Finding> findings) {
        record Stored(long sequence, long globalIndex, VoteRecord vote) {
        }
        Map<String, List<Stored>> ballots = new LinkedHashMap<>();
        for (VoteRecord vote : votes) {
            ballots.computeIfAbsent(vote.aggregateId, id -> new ArrayList<>())
                    .add(new Stored(vote.sequenceNumber, vote.globalIndex, vote));
        }
        for (OtherEvent other : others) {
            ballots.computeIfAbsent(other.aggregateId(), id -> new ArrayList<>())
                    .add(new Stored(other.sequenceNumber(), other.globalIndex(), null));
            findings.add(Finding.aboutEvent(Kind.UNEXPECTED_EVENT, "a ballot's event that is not a vote: "
                    + other.payloadType(), other.globalIndex(), other.aggregateId(), other.sequenceNumber()));
        }
        long ballotCount = 0;
        for (Map.Entry<String, List<Stored>> ballot : ballots.entrySet()) {
            List<Stored> events = ballot.getValue();
            events.sort(Comparator.comparingLong(Stored::sequence));
            long expected = 0;
            List<VoteRecord> ballotVotes = new ArrayList<>();
            for (Stored event : events) {
                if (event.sequence() != expected) {
                    String missing = event.sequence() == expected + 1 ? "sequence " + expected
                            : "sequences " + expected + " to " + (event.sequence() - 1);
                    findings.add(new Finding(Kind.SEQUENCE_GAP, "the ballot has no event at " + missing
                            + " (its events go on at sequence " + event.sequence() + "): an event was removed",
                            event.vote() == null || event.vote().position < 0 ? null : event.vote().position,
                            event.globalIndex(), ballot.getKey(), event.sequence(),
                            event.vote() == null ? null : event.vote().voteId, null));
                }
                expected = event.sequence() + 1;
                if (event.vote() != null) {
                    ballotVotes.add(event.vote());
                }
            }
            if (!ballotVotes.isEmpty()) {
                ballotCount++;
                Analysis.checkBallot(ballotVotes, election, findings);
            }
        }
        return ballotCount;
    }

    /**
     * The board against the events: lines numbered 1, 2, 3... without gaps, each line naming a VoteCast event, a
     * ballot's lines in the order of its events, and each VoteCast event on the board. (A line shows what its event
     * holds: the board stores no copy of the vote that could differ.)
     *
     * @return false if votes were missing from the board on a snapshot that may not be the last
     */
    private static boolean checkBoard(List<BoardLine> board, List<VoteRecord> lineVotes, List<VoteRecord> votes,
                                      Election election, Instant now, boolean lastAttempt, AuditReport report) {
        List<Finding> findings = report.findings;
        Map<String, Long> lastSequenceOnBoard = new HashMap<>();
        long expected = 1;
        for (int i = 0; i < board.size(); i++) {
            BoardLine line = board.get(i);
            if (line.position() != expected) {
                findings.add(Finding.aboutLine(Kind.BOARD_GAP, "the board has no line"
                        + (line.position() == expected + 1 ? " at position " + expected
                        : "s at positions " + expected + " to " + (line.position() - 1))
                        + " (it goes on at position " + line.position() + ")", line.position(), line.eventIndex(), line.ballotId(),
                        line.sequenceNumber()));
            }
            expected = line.position() + 1;
            VoteRecord vote = lineVotes.get(i);
            if (vote == null) {
                findings.add(Finding.aboutLine(Kind.BOARD_LINE_WITHOUT_EVENT, "the board names event "
                        + line.eventIndex() + (line.ballotId() == null ? ", which the event store does not hold"
                        : " (ballot " + line.ballotId() + ", sequence " + line.sequenceNumber()
                        + "), which is not a VoteCast event of this election"),
                        line.position(), line.eventIndex(), line.ballotId(), line.sequenceNumber()));
                continue;
            }
            Long last = lastSequenceOnBoard.put(vote.aggregateId, vote.sequenceNumber);
            if (last != null && last > vote.sequenceNumber) {
                findings.add(Finding.about(vote, Kind.BOARD_MISMATCH, "the board shows the ballot's sequence "
                        + vote.sequenceNumber + " after its sequence " + last));
            }
        }

        long newestOnBoard = votes.stream().filter(vote -> vote.position > 0)
                .mapToLong(vote -> vote.globalIndex).max().orElse(-1);
        boolean open = !election.closedAt(now);
        boolean missing = false;
        for (VoteRecord vote : votes) {
            if (vote.position > 0) {
                continue;
            }
            missing = true;
            if (!lastAttempt) {
                continue;
            }
            if (open && vote.globalIndex > newestOnBoard) {
                report.pending++;
            } else {
                findings.add(Finding.about(vote, Kind.EVENT_NOT_ON_BOARD, "the event store holds this vote (voteHash "
                        + vote.claimedVoteHash + ", accepted " + vote.acceptedAt + ") but the board does not show it"));
            }
        }
        if (report.pending > 0) {
            report.notes.add(report.pending + " votes newer than the board's newest are not on it yet "
                    + "(the election is still open and the query side is catching up)");
        }
        return !missing;
    }

    /** Each receipt the command side recorded has its vote in the event store, and each vote its receipt. */
    private static void checkReceipts(List<Receipt> receipts, List<VoteRecord> votes, List<Finding> findings) {
        Map<String, VoteRecord> byKey = new HashMap<>();
        votes.forEach(vote -> {
            if (vote.idempotencyKey != null) {
                byKey.putIfAbsent(vote.idempotencyKey, vote);
            }
        });
        // A vote whose payload cannot be read has no known idempotency key; its finding says so already.
        java.util.Set<String> unreadable = new java.util.HashSet<>();
        votes.forEach(vote -> {
            if (vote.idempotencyKey == null) {
                unreadable.add(vote.aggregateId);
            }
        });
        Map<String, Receipt> receiptsByKey = new HashMap<>();
        for (Receipt receipt : receipts) {
            receiptsByKey.put(receipt.idempotencyKey(), receipt);
            VoteRecord vote = byKey.get(receipt.idempotencyKey());
            if (vote == null && unreadable.contains(receipt.ballotId())) {
                continue;
            }
            if (vote == null) {
                findings.add(new Finding(Kind.RECEIPT_WITHOUT_EVENT, "a receipt was given for vote "
                        + receipt.voteId() + " (voteHash " + receipt.voteHash() + ", accepted " + receipt.acceptedAt()
                        + "), but the event store has no VoteCast event for it", null, null, receipt.ballotId(),
                        null, receipt.voteId(), null));
                continue;
            }
            List<String> differences = new ArrayList<>();
            if (!receipt.ballotId().equals(vote.aggregateId)) {
                differences.add("ballot " + receipt.ballotId());
            }
            if (!receipt.voteId().equals(vote.voteId)) {
                differences.add("vote " + receipt.voteId());
            }
            if (!receipt.voteHash().equals(vote.claimedVoteHash)) {
                differences.add("voteHash " + receipt.voteHash());
            }
            if (!receipt.acceptedAt().equals(vote.acceptedAt)) {
                differences.add("acceptedAt " + receipt.acceptedAt());
            }
            if (!differences.isEmpty()) {
                findings.add(Finding.about(vote, Kind.RECEIPT_MISMATCH, "the receipt for this idempotency key says "
                        + String.join(", ", differences) + ", unlike the event"));
            }
        }
        for (VoteRecord vote : votes) {
            if (vote.idempotencyKey != null && !receiptsByKey.containsKey(vote.idempotencyKey)) {
                findings.add(Finding.about(vote, Kind.EVENT_WITHOUT_RECEIPT,
                        "the command side recorded no receipt for this vote"));
            }
        }
    }

    /** The published tally against the recount of the first {@code position} board lines' events. */
    private static void checkTally(Connection db, List<BoardLine> board, List<VoteRecord> lineVotes,
                                   Election election, AuditReport report) throws SQLException {
        record Head(long position, Instant asOf) {
        }
        List<Head> heads = query(db, "SELECT position, as_of FROM tally WHERE election_id = ?",
                rs -> new Head(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant()), election.id);
        if (heads.isEmpty()) {
            report.findings.add(Finding.aboutTally(Kind.TALLY_MISMATCH, "the query side publishes no tally for "
                    + "the election", null, null));
            return;
        }
        long position = heads.get(0).position();
        report.tallyPosition = position;
        report.tallyAsOf = heads.get(0).asOf().toString();
        Map<String, Long> published = new LinkedHashMap<>();
        query(db, "SELECT option_id, count FROM tally_count WHERE election_id = ? ORDER BY ordinal",
                rs -> published.put(rs.getString(1), rs.getLong(2)), election.id);
        report.published = published;
        report.publishedTotal = Analysis.total(published);

        List<VoteRecord> counted = new ArrayList<>();
        long lines = 0;
        for (int i = 0; i < board.size(); i++) {
            if (board.get(i).position() > position) {
                break;
            }
            lines++;
            VoteRecord vote = lineVotes.get(i);
            if (vote != null) {
                counted.add(vote);
            }
        }
        if (lines < position) {
            report.findings.add(Finding.aboutTally(Kind.TALLY_MISMATCH, "the tally is at position " + position
                    + " but the board has only " + lines + " lines up to it", position, null));
        }
        report.recount = Analysis.recount(counted, election);
        report.recountTotal = Analysis.total(report.recount);
        Analysis.compareTally(published, null, report.recount, position, election, report.findings);
    }

    /** A timestamptz column as microseconds since the epoch: exact, and cheaper to read than a timestamp. */
    private static final String MICROS = "(extract(epoch FROM %s) * 1000000)::bigint";

    private static Instant micros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private static <T> List<T> query(Connection db, String sql, RowMapper<T> mapper, Object... parameters)
            throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.setFetchSize(FETCH);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
            }
            return rows;
        }
    }
}
