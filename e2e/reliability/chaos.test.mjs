// The reliability suite (issue 9): the real stack from `./voting up` on loopback, faults injected while votes stream
// in, and afterwards the event store, the tally and the bulletin board held to the receipts: nothing acknowledged is
// lost, no vote counted twice, every client that resends ends with exactly one vote. Run by `./voting chaos`.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { startStack } from './lib/stack.mjs';
import { Api, makeVoters, newLog, sleep, stream } from './lib/voters.mjs';
import { assertProblem, expectCountedOnce } from './verify.mjs';
import { hostileInputs, slowClients } from './hostile.mjs';

const VOTERS = Number(process.env.VOTING_CHAOS_VOTERS ?? 300); // per crash scenario
const CONCURRENCY = 32; // votes in flight at once
const STREAM_DEADLINE_MS = 240_000; // a client gives up resending after this (it never should)
const DB_OUTAGE_MS = 8_000;

let stack;
let api;
const suiteStarted = Date.now();
const figures = { scenarios: {} };
const elections = []; // every crash scenario's election and voters, re-checked after the later faults

before(async () => {
  stack = await startStack();
  api = new Api(stack.baseUrl, stack.adminToken);
  figures.stackStartSeconds = stack.startSeconds;
});

after(async () => {
  figures.suiteSeconds = Math.round((Date.now() - suiteStarted) / 1000);
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'chaos-figures.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`);
  process.stdout.write(`[chaos] figures (${out}):\n${JSON.stringify(figures, null, 2)}\n`);
  await stack?.stop();
});

// Streams `voters` at the stack and runs `fault` once `trigger` receipts have come back, with the set of votes that
// had a receipt at that moment. Returns the client log and what the fault reported.
async function underLoad(voters, trigger, fault) {
  const log = newLog();
  let faultDone;
  const faultRan = new Promise((resolve) => { faultDone = resolve; });
  let fired = false;
  const started = Date.now();
  const streaming = stream(api, voters, log, {
    concurrency: CONCURRENCY,
    deadline: Date.now() + STREAM_DEADLINE_MS,
    onProgress: (receipts) => {
      if (receipts >= trigger && !fired) {
        fired = true;
        const acknowledged = voters.filter((v) => v.receipt).map((v) => v.receipt.voteHash);
        faultDone(fault(acknowledged));
      }
    },
  });
  await streaming;
  assert.ok(fired, `the fault fired (after ${trigger} receipts)`);
  const report = await faultRan;
  return { log, report, seconds: (Date.now() - started) / 1000 };
}

function summary(voters, log, checked, extra = {}) {
  return {
    votesSent: voters.length,
    requests: log.attempts,
    acknowledged: voters.filter((v) => v.receipt).length,
    replayedReceipts: voters.filter((v) => v.replayed).length,
    clientsThatSawNoAnswerOrRetryable: log.unanswered.size,
    outcomes: log.outcomes,
    ...checked,
    ...extra,
  };
}

async function scenarioElection(name) {
  const election = await api.createElection(`chaos-${name}-${Date.now().toString(36)}`);
  const voters = await makeVoters(api, election, VOTERS);
  elections.push({ election, voters });
  return { election, voters };
}

test('command side SIGKILLed while votes stream in: every receipt stored, resends counted once', async () => {
  const { election, voters } = await scenarioElection('command-kill');
  let killedAt;
  const { log, report, seconds } = await underLoad(voters, Math.floor(VOTERS / 4), async (acknowledged) => {
    const pid = stack.pidOf('command-side');
    assert.ok(pid, 'the command side runs');
    process.kill(pid, 'SIGKILL');
    killedAt = Date.now();
    // Before anything restarts: each receipt given so far is already in the event store.
    const stored = new Set(stack.storedVoteHashes(election.id));
    const missing = acknowledged.filter((hash) => !stored.has(hash));
    const upAgain = await stack.waitHealthy(stack.ports.command);
    return { acknowledgedAtKill: acknowledged.length, storedAtKill: stored.size, missingAtKill: missing.length,
      restartSeconds: (upAgain - killedAt) / 1000 };
  });
  assert.equal(report.missingAtKill, 0, 'every vote acknowledged before the kill was already in the event store');
  assert.ok(report.storedAtKill >= report.acknowledgedAtKill, 'stored ⊇ acknowledged at the kill');
  assert.ok(log.unanswered.size > 0, 'the kill cut off clients mid-request (otherwise it tested nothing)');
  const checked = await expectCountedOnce(stack, api, election, voters);
  figures.scenarios.commandSideKill = summary(voters, log, checked, { faultsInjected: 1, ...report, streamSeconds: seconds });
});

test('PostgreSQL crashes under load: 503 + Retry-After while it is down, recovery without help, nothing lost', async () => {
  const { election, voters } = await scenarioElection('db-crash');
  const probes = [];
  const { log, report, seconds } = await underLoad(voters, Math.floor(VOTERS / 4), async (acknowledged) => {
    // Hold the launcher's restart of the database for a while (as a slow orchestrator would), then crash it:
    // SIGQUIT is PostgreSQL's immediate shutdown, no checkpoint; the restart replays the WAL.
    const supervisor = stack.supervisorOf('db');
    assert.ok(supervisor, 'the database server is supervised');
    process.kill(supervisor, 'SIGSTOP');
    const crashedAt = Date.now();
    try {
      process.kill(stack.postmasterPid(), 'SIGQUIT');
      await sleep(1500);
      // While it is down: each service answers with the contract's retryable problem, quickly.
      while (Date.now() - crashedAt < DB_OUTAGE_MS) {
        const [board, tallyRead, health] = await Promise.all([
          api.call('GET', `/api/v1/elections/${election.id}/ballots`, { timeoutMs: 10_000 }),
          api.call('GET', `/api/v1/elections/${election.id}/tally`, { timeoutMs: 10_000 }),
          api.call('GET', '/actuator/health', { timeoutMs: 10_000 }),
        ]);
        probes.push({ board, tallyRead, health, at: Date.now() - crashedAt });
        await sleep(500);
      }
    } finally {
      process.kill(supervisor, 'SIGCONT');
    }
    const restartedAt = Date.now();
    await stack.waitHealthy(stack.ports.command);
    await stack.waitHealthy(stack.ports.query);
    await stack.waitHealthy(stack.ports.edge);
    return { acknowledgedAtCrash: acknowledged.length, outageSeconds: (restartedAt - crashedAt) / 1000,
      recoveredSecondsAfterRestart: (Date.now() - restartedAt) / 1000 };
  });
  // The board is read from the database on every request: while it is down, the answer is the retryable problem.
  const boardDown = probes.filter((p) => p.board.status !== 200);
  assert.ok(boardDown.length > 0, 'the board answered something other than 200 while the database was down');
  for (const { board } of boardDown) {
    assertProblem(board, 503, 'unavailable', 'board read with the database down');
    assert.ok(Number(board.headers['retry-after']) > 0, 'Retry-After on 503');
    assert.ok(board.ms < 5000, `answered quickly (${Math.round(board.ms)} ms), not after the client gave up`);
  }
  assert.ok(probes.some((p) => p.health.status === 503), 'the stack reports itself unhealthy while the database is down');
  // Votes that arrived during the outage were answered 503 unavailable + Retry-After (retryable), never 500.
  assert.ok(log.problems.length > 0, 'some votes arrived while the database was down');
  for (const problem of log.problems) {
    assert.equal(problem.status, 503, `vote answered ${problem.status} ${JSON.stringify(problem.problem)}`);
    assert.equal(problem.problem?.type, 'https://voting.invalid/problems/unavailable');
    assert.equal(problem.problem?.retryable, true);
    assert.ok(Number(problem.retryAfter) > 0, 'Retry-After on 503');
    assert.match(problem.contentType, /^application\/problem\+json/);
  }
  assert.equal(Object.keys(log.outcomes).filter((o) => o.startsWith('no answer')).length, 0,
    `every vote got an answer, none hung past the client's timeout: ${JSON.stringify(log.outcomes)}`);
  const checked = await expectCountedOnce(stack, api, election, voters);
  figures.scenarios.databaseCrash = summary(voters, log, checked, {
    faultsInjected: 1, ...report, probesWhileDown: probes.length, boardAnswered503: boardDown.length,
    votesAnswered503: log.problems.length, streamSeconds: seconds,
  });
});

test('query side SIGKILLed while it projects: tallies resume from their tokens, none lost or doubled', async () => {
  const { election, voters } = await scenarioElection('query-kill');
  const { log, report, seconds } = await underLoad(voters, Math.floor(VOTERS / 3), async (acknowledged) => {
    const pid = stack.pidOf('query-side');
    assert.ok(pid, 'the query side runs');
    const before = await api.tally(election.id);
    process.kill(pid, 'SIGKILL');
    const killedAt = Date.now();
    const upAgain = await stack.waitHealthy(stack.ports.query);
    return { acknowledgedAtKill: acknowledged.length, tallyAtKill: before?.total ?? 0,
      restartSeconds: (upAgain - killedAt) / 1000 };
  });
  const checked = await expectCountedOnce(stack, api, election, voters);
  // The earlier scenarios' elections were projected before this kill: resuming must not apply them again.
  for (const earlier of elections.filter((e) => e.election.id !== election.id)) {
    const tally = await api.tally(earlier.election.id);
    assert.equal(tally.total, earlier.voters.length, `${earlier.election.id} still counts each vote once`);
    assert.equal(tally.position, earlier.voters.length);
    assert.equal((await api.board(earlier.election.id)).length, earlier.voters.length);
  }
  figures.scenarios.querySideKill = summary(voters, log, checked, { faultsInjected: 1, ...report, streamSeconds: seconds });
});

test('hostile input on every public endpoint: its 4xx problem each, nothing stored, honest voters unharmed', async () => {
  const election = await api.createElection(`chaos-hostile-${Date.now().toString(36)}`);
  const other = await api.createElection(`chaos-other-${Date.now().toString(36)}`);
  const honest = await makeVoters(api, election, 40);
  const outsiders = await makeVoters(api, other, 4);
  const storedBefore = stack.storedVoteHashes(election.id).length;

  const tried = await hostileInputs(api, election, other, honest, outsiders);
  assert.equal(stack.storedVoteHashes(election.id).length, storedBefore, 'no hostile request stored a vote');
  assert.equal(stack.storedVoteHashes(other.id).length, 0, 'nor in the other election');

  const slow = await slowClients(stack, api, election, honest);

  // Honest votes after all that: each counted once, and only they.
  const counted = await expectCountedOnce(stack, api, election, honest.filter((v) => v.receipt));
  assert.equal(counted.counted, honest.length, 'every honest voter voted');
  const health = await api.call('GET', '/actuator/health');
  assert.equal(health.status, 200, 'the stack is healthy after the hostile input');
  const stats = await api.stats(election.id);
  assert.equal(stats.accepted, honest.length, 'intake accepted exactly the honest votes');
  assert.equal(stats.rejected['internal-error'], undefined, `no hostile input caused an internal error: ${JSON.stringify(stats.rejected)}`);
  figures.scenarios.hostileInput = { badInputsTried: tried.count, byEndpoint: tried.byEndpoint, ...slow,
    honestVotes: honest.length, stored: counted.stored, counted: counted.counted, rejectedByIntake: stats.rejected };
});

test('after every fault: all elections still count each receipt exactly once', async () => {
  let total = 0;
  for (const { election, voters } of elections) {
    const checked = await expectCountedOnce(stack, api, election, voters);
    total += checked.counted;
  }
  figures.totals = {
    votesSent: elections.reduce((n, e) => n + e.voters.length, 0),
    acknowledged: elections.reduce((n, e) => n + e.voters.filter((v) => v.receipt).length, 0),
    counted: total,
    faultsInjected: Object.values(figures.scenarios).reduce((n, s) => n + (s.faultsInjected ?? 0), 0),
    badInputsTried: figures.scenarios.hostileInput?.badInputsTried ?? 0,
  };
  assert.equal(figures.totals.counted, figures.totals.acknowledged);
});
