package voting.audit;

import voting.audit.Finding.Kind;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The checks across votes, the same from either source: ballots, duplicates, and the recount of the tally. */
final class Analysis {

    private Analysis() {
    }

    /**
     * One ballot, one counted vote: without revoting a ballot holds one vote; with revoting each later vote must
     * be cast after the one it replaces, so that the counted (last) vote is the newest.
     *
     * @param ballot the ballot's votes in the order they were stored (sequence number, or board order)
     */
    static void checkBallot(List<VoteRecord> ballot, Election election, List<Finding> out) {
        VoteRecord previous = null;
        for (VoteRecord vote : ballot) {
            if (previous != null) {
                if (!election.revoting) {
                    out.add(Finding.about(vote, Kind.DUPLICATE_BALLOT, "a second vote on a ballot that already holds "
                            + describe(ballot.get(0)) + ", and the election does not allow revoting"));
                } else if (vote.castAt != null && previous.castAt != null && !vote.castAt.isAfter(previous.castAt)) {
                    out.add(Finding.about(vote, Kind.DUPLICATE_BALLOT, "cast at " + vote.castAt
                            + ", not after the ballot's earlier " + describe(previous) + " cast at " + previous.castAt
                            + ": only a newer vote may replace a ballot's vote"));
                }
            }
            if (vote.castAt != null || previous == null) {
                previous = vote;
            }
        }
    }

    /** No vote stored twice: each voteId, idempotencyKey and voteHash belongs to one accepted vote. */
    static void checkDuplicates(Collection<VoteRecord> votes, List<Finding> out) {
        Map<String, VoteRecord> byVoteId = new HashMap<>();
        Map<String, VoteRecord> byKey = new HashMap<>();
        Map<String, VoteRecord> byHash = new HashMap<>();
        for (VoteRecord vote : votes) {
            Set<String> same = null; // made for a duplicate only, not for every vote
            VoteRecord first = null;
            if (vote.voteId != null) {
                VoteRecord earlier = byVoteId.putIfAbsent(vote.voteId, vote);
                if (earlier != null) {
                    same = new LinkedHashSet<>();
                    same.add("voteId");
                    first = earlier;
                }
            }
            if (vote.idempotencyKey != null) {
                VoteRecord earlier = byKey.putIfAbsent(vote.idempotencyKey, vote);
                if (earlier != null) {
                    same = same == null ? new LinkedHashSet<>() : same;
                    same.add("idempotencyKey");
                    first = first == null ? earlier : first;
                }
            }
            if (vote.computedVoteHash != null) {
                VoteRecord earlier = byHash.putIfAbsent(vote.computedVoteHash, vote);
                if (earlier != null) {
                    same = same == null ? new LinkedHashSet<>() : same;
                    same.add("vote (same voteHash)");
                    first = first == null ? earlier : first;
                }
            }
            if (first != null) {
                out.add(Finding.about(vote, Kind.DUPLICATE_VOTE, "the same " + String.join(", ", same) + " as "
                        + describe(first) + ": one vote stored twice"));
            }
        }
    }

    /**
     * The recount: each ballot counts one valid vote — its first without revoting, its newest (latest castAt)
     * with revoting. Invalid votes (any finding that {@link Kind#invalidatesVote() invalidates} it) count nothing.
     *
     * @param votes in board or event order
     * @return a count for every option, in the election's order (and any other option that was counted)
     */
    static Map<String, Long> recount(Iterable<VoteRecord> votes, Election election) {
        Map<String, VoteRecord> counted = new LinkedHashMap<>();
        for (VoteRecord vote : votes) {
            if (!vote.valid) {
                continue;
            }
            counted.merge(vote.derivedBallotId, vote, (held, next) -> {
                if (!election.revoting) {
                    return order(next) < order(held) ? next : held;
                }
                if (next.castAt.isAfter(held.castAt)) {
                    return next;
                }
                return next.castAt.equals(held.castAt) && order(next) < order(held) ? next : held;
            });
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        election.options.forEach(option -> counts.put(option, 0L));
        counted.values().forEach(vote -> counts.merge(vote.choice, 1L, Long::sum));
        return counts;
    }

    static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The published counts against the recount, option by option. */
    static void compareTally(Map<String, Long> published, Long publishedTotal, Map<String, Long> recount,
                             long position, Election election, List<Finding> out) {
        Set<String> options = new LinkedHashSet<>(election.options);
        options.addAll(published.keySet());
        options.addAll(recount.keySet());
        for (String option : options) {
            Long shown = published.get(option);
            long expected = recount.getOrDefault(option, 0L);
            if (!election.hasOption(option)) {
                out.add(Finding.aboutTally(Kind.TALLY_MISMATCH, "the published tally at position " + position
                        + " counts " + shown + " for '" + option + "', which is not an option of the election",
                        position, option));
            } else if (shown == null) {
                out.add(Finding.aboutTally(Kind.TALLY_MISMATCH, "the published tally at position " + position
                        + " has no count for option '" + option + "' (the recount has " + expected + ")",
                        position, option));
            } else if (shown != expected) {
                out.add(Finding.aboutTally(Kind.TALLY_MISMATCH, "option '" + option + "': published " + shown
                        + ", recount " + expected + " (the first " + position + " board lines)", position, option));
            }
        }
        long sum = total(published);
        if (publishedTotal != null && publishedTotal != sum) {
            out.add(Finding.aboutTally(Kind.TALLY_MISMATCH, "the published total " + publishedTotal
                    + " is not the sum of the published counts " + sum, position, null));
        }
    }

    /** Events are ordered by sequence number within their ballot; board lines by position. */
    private static long order(VoteRecord vote) {
        return vote.sequenceNumber >= 0 ? vote.sequenceNumber : vote.position;
    }

    static String describe(VoteRecord vote) {
        List<String> parts = new ArrayList<>();
        parts.add("vote " + (vote.voteId == null ? "?" : vote.voteId));
        if (vote.globalIndex >= 0) {
            parts.add("event " + vote.globalIndex);
        }
        if (vote.sequenceNumber >= 0) {
            parts.add("sequence " + vote.sequenceNumber);
        }
        if (vote.position > 0) {
            parts.add("board position " + vote.position);
        }
        return parts.get(0) + (parts.size() > 1 ? " (" + String.join(", ", parts.subList(1, parts.size())) + ")" : "");
    }
}
