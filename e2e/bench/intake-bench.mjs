// The intake benchmark (./voting bench intake runs it against a stack it starts; docs/benchmarks.md has the
// method). Everything is measured in one run on one PostgreSQL with fsync and synchronous_commit on:
//   1. prepares unique, signed votes for every measured run (not timed), each run its own election;
//   2. repeats, alternating: pgbench single-row, pgbench 100 rows per transaction, votes straight to the command
//      side at saturation (tally over SSE watched for lag), the same through the edge, and Axon as it comes;
//   3. vacuums the database, then offers votes at 25%, 50% and 75% of the median saturation rate (open model) for
//      latency percentiles;
//   4. after every vote run checks the invariants; a run that breaks one fails the benchmark.
// Writes docs/benchmarks.json (merged: other benchmarks keep their figures) and the intake part of
// docs/benchmarks.md. Settings come from the environment, see `settings` below.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const env = process.env;
const settings = {
  edge: env.BENCH_EDGE_URL, command: env.BENCH_COMMAND_URL, query: env.BENCH_QUERY_URL,
  // The vote path as Axon comes (started by the launcher): with Axon's JPA engine, as the issue measured "as it
  // comes" (the target's peer), and the same with Axon's JDBC engine, which this project's services use.
  asItComesCommand: env.BENCH_AS_IT_COMES_URL, asItComesJdbcCommand: env.BENCH_AS_IT_COMES_JDBC_URL,
  adminToken: env.BENCH_ADMIN_TOKEN, dataDir: env.BENCH_DATA_DIR,
  // pgbench alone moves by a fifth from run to run on this VM (9,200-13,300/s in one day): five repetitions give
  // a steadier median than the three the method asks for at least.
  repeats: Number(env.BENCH_REPEATS ?? 5),
  votes: Number(env.BENCH_VOTES ?? 20000), // per saturation run
  asItComesVotes: Number(env.BENCH_AS_IT_COMES_VOTES ?? 8000),
  pacedSeconds: Number(env.BENCH_PACED_SECONDS ?? 15),
  // A p99 from one 15-s window hangs on whether one slow moment of the disk falls in it: each rate is offered in
  // this many windows, alternated with the other rates, and its percentiles are taken over all their votes.
  pacedRounds: Number(env.BENCH_PACED_ROUNDS ?? 3),
  connections: Number(env.BENCH_CONNECTIONS ?? 200), // 64 left the machine partly idle while batches committed
  pgbenchSeconds: Number(env.BENCH_PGBENCH_SECONDS ?? 10),
  pgbenchClients: Number(env.BENCH_PGBENCH_CLIENTS ?? 32),
  javaOptions: env.BENCH_JAVA_OPTS ?? '',
};
// One wrk thread: wrk starts each thread right after preparing its requests, so a second thread's preparation took
// most of a core for ~0.5 s while the first thread's votes were already due. One thread keeps up with the command
// side at saturation (~70 µs of CPU per vote).
const WRK_THREADS = 1;
const work = mkdtempSync(join(tmpdir(), 'voting-bench-'));
const log = (text) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${text}\n`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const round = (x, digits = 0) => Number(x.toFixed(digits));
const latencySummary = (sorted) => ({ p50: round(percentile(sorted, 0.5), 1), p90: round(percentile(sorted, 0.9), 1),
  p99: round(percentile(sorted, 0.99), 1), max: round(sorted.at(-1), 1) });

// --- the database ----------------------------------------------------------------------------------------------
const pgPort = readFileSync(join(settings.dataDir, 'postgres.url'), 'utf8').trim().match(/:(\d+)\//)[1];
const psqlArgs = ['-h', 'localhost', '-p', pgPort, '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-At'];
const sql = (query) => execFileSync('psql', [...psqlArgs, '-c', query], { encoding: 'utf8' }).trim();
// Checkpoints and autovacuum runs finished so far (PostgreSQL 17's statistics).
const databaseActivity = () => {
  const [checkpoints, autovacuums] = sql('SELECT (SELECT num_timed + num_requested FROM pg_stat_checkpointer), '
    + '(SELECT sum(autovacuum_count + autoanalyze_count) FROM pg_stat_all_tables)').split('|').map(Number);
  return { checkpoints, autovacuums };
};
const postmasterPid = () => Number(readFileSync(join(settings.dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);

// --- CPU per process (from /proc: user + system time) ----------------------------------------------------------
const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
// withExited: also the CPU of children it has reaped (PostgreSQL's backends of closed connections, pgbench's).
// statPath: a process's stat file, or one of its threads' (/proc/<pid>/task/<tid>/stat).
const cpuSeconds = (pid, withExited = false, statPath = `/proc/${pid}/stat`) => {
  try {
    const fields = readFileSync(statPath, 'utf8').split(') ')[1].split(' ');
    const exited = withExited ? Number(fields[13]) + Number(fields[14]) : 0;
    return (Number(fields[11]) + Number(fields[12]) + exited) / TICKS;
  } catch {
    return 0;
  }
};
const pidOf = (jar) => {
  try {
    return Number(execFileSync('pgrep', ['-f', '-n', jar], { encoding: 'utf8' }).trim());
  } catch {
    return 0; // not running
  }
};
function processes() {
  const jvm = (name) => pidOf(join(settings.dataDir, 'run', `${name}.jar`));
  const postgres = () => {
    const pm = postmasterPid();
    let children = [];
    try {
      children = execFileSync('pgrep', ['-P', String(pm)], { encoding: 'utf8' }).trim().split('\n').map(Number);
    } catch { /* none */ }
    return [pm, ...children];
  };
  return {
    'command-side': [jvm('command-side')], 'axon-as-it-comes': [jvm('axon-as-it-comes')],
    'axon-as-it-comes-jdbc': [jvm('axon-as-it-comes-jdbc')],
    'query-side': [jvm('query-side')], edge: [jvm('edge')], postgres: postgres(),
  };
}
function cpuSnapshot() {
  return Object.fromEntries(Object.entries(processes()).map(([name, pids]) =>
    [name, pids.reduce((sum, pid, i) => sum + cpuSeconds(pid, name === 'postgres' && i === 0), 0)]));
}
// The CPU of a JVM's JIT compiler threads: while they still work, the JVM has not reached the speed it keeps.
const JVMS = ['command-side', 'axon-as-it-comes', 'axon-as-it-comes-jdbc', 'query-side', 'edge'];
const compilerSeconds = (pid) => {
  let sum = 0;
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      try {
        if (/^C[12] CompilerThre/.test(readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8'))) {
          sum += cpuSeconds(pid, false, `/proc/${pid}/task/${task}/stat`);
        }
      } catch { /* the thread ended */ }
    }
  } catch { /* not running */ }
  return sum;
};
const compilerSnapshot = () => {
  const pids = processes();
  return Object.fromEntries(JVMS.map((name) => [name, compilerSeconds(pids[name][0])]));
};
const cpuSince = (before, after) => Object.fromEntries(Object.keys(after).map((k) => [k, round(after[k] - (before[k] ?? 0), 2)]));
function heapMiB(name) {
  const text = execFileSync('jcmd', [String(processes()[name][0]), 'GC.heap_info'], { encoding: 'utf8' });
  const m = text.match(/total (\d+)K, used (\d+)K/);
  return m ? { committed: round(Number(m[1]) / 1024), used: round(Number(m[2]) / 1024) } : null;
}

// --- a quiet machine before each measured run ---------------------------------------------------------------------
// After a run the database vacuums and checkpoints, and the projections may still be catching up: a run that started
// then would measure that work too. Wait (up to a minute) until the machine is at least 90% idle over a second.
const cpuTimes = () => readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
// The share of the machine's time since `before` spent in these /proc/stat columns (3, 4: idle and iowait; 7: steal).
const machineShare = (before, columns) => {
  const delta = cpuTimes().map((v, k) => v - before[k]);
  return columns.reduce((sum, k) => sum + delta[k], 0) / delta.reduce((a, b) => a + b, 0);
};
async function settle() {
  for (let i = 0; i < 60; i++) {
    const before = cpuTimes();
    await new Promise((r) => setTimeout(r, 1000));
    if (machineShare(before, [3, 4]) >= 0.9) return true;
  }
  log('the machine did not settle to 90% idle within a minute; measuring anyway');
  return false;
}

// --- running a tool and keeping its CPU --------------------------------------------------------------------------
function run(command, args, { extraEnv = {}, until } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let lastCpu = 0;
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const sampler = setInterval(() => { lastCpu = Math.max(lastCpu, cpuSeconds(child.pid)); }, 200);
    let watcher;
    if (until) {
      watcher = setInterval(async () => {
        if (await until()) {
          clearInterval(watcher);
          lastCpu = Math.max(lastCpu, cpuSeconds(child.pid));
          child.kill('SIGINT'); // wrk then writes its results and exits
        }
      }, 250);
    }
    child.on('exit', (code) => {
      clearInterval(sampler);
      clearInterval(watcher);
      if (code !== 0 && code !== null) reject(new Error(`${command} exited ${code}: ${out}`));
      else resolve({ out, cpu: round(lastCpu, 2) });
    });
  });
}

// --- preparing votes ---------------------------------------------------------------------------------------------
async function prepare(count, label) {
  const file = join(work, `${label}.jsonl`);
  const { out } = await run('node', [join(HERE, 'prepare-votes.mjs'), settings.command, settings.adminToken, String(count), file, '8']);
  const { electionId } = JSON.parse(out.trim().split('\n').pop());
  return { file, electionId, count, label };
}

// --- sending votes with wrk --------------------------------------------------------------------------------------
async function sendVotes(batch, url, { rate = 0, watchTally = false, viaEdge = false } = {}) {
  const outFile = join(work, `${batch.label}.out`);
  await settle();
  const sse = watchTally ? watchTallyStream(batch.electionId) : null;
  const databaseBefore = databaseActivity();
  const before = cpuSnapshot();
  const compilersBefore = compilerSnapshot();
  const machineBefore = cpuTimes();
  const seconds = Math.ceil(rate ? batch.count / rate * 3 + 60 : batch.count / 100 + 60);
  const wrk = await run('wrk', [`-t${WRK_THREADS}`, `-c${settings.connections}`, `-d${seconds}s`, '--timeout', '30s',
    '-s', join(HERE, 'send-votes.lua'), url], {
    extraEnv: { VOTES_FILE: batch.file, OUT_FILE: outFile, WRK_THREADS: String(WRK_THREADS), RATE: String(rate), FORWARDED_FOR: viaEdge ? '1' : '0' },
    // wrk runs for its whole duration even when every thread has stopped: each thread writes a file once all its
    // votes are answered, and then wrk is stopped. (Not by counting receipts in the database: a query every quarter
    // second would take CPU from the system under test, more as the tables grow.) A vote never answered leaves
    // wrk to its duration, and the invariants below say what is missing.
    until: async () => Array.from({ length: WRK_THREADS }, (_, id) => `${outFile}.done.${id}`).every(existsSync),
  });
  const cpu = { ...cpuSince(before, cpuSnapshot()), wrk: wrk.cpu };
  const compilers = cpuSince(compilersBefore, compilerSnapshot());
  const databaseAfter = databaseActivity();
  // The share of the machine's time the hypervisor gave to other guests (steal): this VM's CPU varies.
  const stolenShare = round(machineShare(machineBefore, [7]), 3);
  const answers = readFileSync(outFile, 'utf8').trim().split('\n').filter(Boolean)
    .map((line) => line.split(' ').map(Number)).map(([status, due, at]) => ({ status, due, at }));
  const tally = sse ? await sse.stop(batch.count) : null;
  const statuses = {};
  answers.forEach((a) => { statuses[a.status] = (statuses[a.status] ?? 0) + 1; });
  const firstSent = Math.min(...answers.map((a) => a.due).filter((d) => d > 0));
  const lastAnswer = Math.max(...answers.map((a) => a.at));
  const latencies = answers.filter((a) => a.due > 0).map((a) => (a.at - a.due) / 1000).sort((a, b) => a - b);
  const accepted = statuses[201] ?? 0;
  const seconds_ = (lastAnswer - firstSent) / 1e6;
  const result = {
    label: batch.label, electionId: batch.electionId, offeredPerSecond: rate || null, votes: batch.count, statuses,
    votesPerSecond: round(accepted / seconds_), seconds: round(seconds_, 2),
    latencyMs: latencySummary(latencies),
    cpuSeconds: cpu, stolenShare,
    jitCompilerShareOfCpu: Object.fromEntries(JVMS.filter((k) => cpu[k] > 0).map((k) => [k, round(compilers[k] / cpu[k], 3)])),
    cpuMicrosecondsPerVote: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, round(v / accepted * 1e6)])),
    tallyLagMs: tally ? lagOf(answers, tally) : undefined,
    // PostgreSQL's own work that may have shared the disk with the run's commits.
    checkpoints: databaseAfter.checkpoints - databaseBefore.checkpoints,
    autovacuums: databaseAfter.autovacuums - databaseBefore.autovacuums,
  };
  Object.defineProperty(result, 'latencies', { value: latencies }); // for pooling; not written out
  result.invariants = await invariants(batch, accepted);
  return result;
}

// --- the tally as a voter sees it: SSE from the query side ------------------------------------------------------
function watchTallyStream(electionId) {
  const controller = new AbortController();
  const events = []; // [monotonic µs, total]
  const reading = (async () => {
    const response = await fetch(`${settings.query}/api/v1/elections/${electionId}/tally/stream`, { signal: controller.signal });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const data = buffer.slice(0, end).split('\n').find((l) => l.startsWith('data:'));
        buffer = buffer.slice(end + 2);
        if (data) events.push([Number(process.hrtime.bigint() / 1000n), JSON.parse(data.slice(5)).total]);
      }
    }
  })().catch((e) => { if (e.name !== 'AbortError') throw e; });
  return {
    async stop(expected) {
      const deadline = Date.now() + 30_000;
      while ((events.at(-1)?.[1] ?? 0) < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      controller.abort();
      await reading;
      return events;
    },
  };
}

/** For the k-th vote acknowledged, the time until an SSE tally first counted k votes. */
function lagOf(answers, tally) {
  const acked = answers.filter((a) => a.status === 201).map((a) => a.at).sort((a, b) => a - b);
  const lags = [];
  let e = 0;
  acked.forEach((at, i) => {
    while (e < tally.length && tally[e][1] < i + 1) e++;
    lags.push(e < tally.length ? (tally[e][0] - at) / 1000 : Infinity);
  });
  lags.sort((a, b) => a - b);
  return { p50: round(percentile(lags, 0.5), 1), p99: round(percentile(lags, 0.99), 1), max: round(lags.at(-1), 1) };
}

// --- invariants --------------------------------------------------------------------------------------------------
async function invariants(batch, accepted) {
  const id = batch.electionId;
  const [events, ballots] = sql(`SELECT count(*), count(DISTINCT aggregate_identifier) FROM domain_event_entry `
    + `WHERE type = 'Ballot' AND convert_from(payload, 'UTF8') LIKE '%"electionId":"${id}"%'`).split('|').map(Number);
  const [receipts, receiptBallots] = sql(`SELECT count(*), count(DISTINCT ballot_id) FROM vote_receipt WHERE election_id = '${id}'`)
    .split('|').map(Number);
  let tally = 0;
  for (let i = 0; i < 120; i++) { // the query side may still be projecting the last votes
    tally = (await (await fetch(`${settings.query}/api/v1/elections/${id}/tally`)).json()).total;
    if (tally >= accepted) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const checks = {
    'every vote answered 201': accepted === batch.count,
    'accepted = VoteCast events': events === accepted,
    'one event per ballot': ballots === events,
    'accepted = receipts stored': receipts === accepted && receiptBallots === receipts,
    'accepted = tally total': tally === accepted,
  };
  return { ok: Object.values(checks).every(Boolean), checks, counts: { accepted, events, receipts, tally } };
}

// --- pgbench: the same event row, one per transaction and 100 per transaction ------------------------------------
function pgbenchScripts() {
  // Its own global index: sharing the event store's sequence would leave gaps that the projections' tracking
  // tokens would have to carry.
  sql('DROP TABLE IF EXISTS bench_event; CREATE TABLE bench_event (LIKE domain_event_entry INCLUDING INDEXES); '
    + 'ALTER TABLE bench_event ALTER COLUMN global_index ADD GENERATED ALWAYS AS IDENTITY');
  // The row shape of a VoteCast: a ~1.1 KB payload and ~100 B of metadata (measured on this store's events).
  const row = `gen_random_uuid()::text, md5(random()::text), 0, 'Ballot', now()::text, 'voting.events.BallotEvents$VoteCast', `
    + `NULL, convert_to(repeat(md5(random()::text), 35), 'UTF8'), convert_to(repeat('m', 105), 'UTF8')`;
  const columns = '(event_identifier, aggregate_identifier, sequence_number, type, time_stamp, payload_type, payload_revision, payload, meta_data)';
  const single = join(work, 'single.sql');
  const hundred = join(work, 'hundred.sql');
  writeFileSync(single, `INSERT INTO bench_event ${columns} VALUES (${row});\n`);
  writeFileSync(hundred, `INSERT INTO bench_event ${columns} SELECT ${row} FROM generate_series(1, 100);\n`);
  return { single, hundred };
}

async function pgbench(script, rowsPerTransaction) {
  await settle();
  const before = cpuSnapshot();
  const { out, cpu } = await run('pgbench', ['-h', 'localhost', '-p', pgPort, '-U', 'postgres', '-n', '-f', script,
    '-c', String(settings.pgbenchClients), '-j', '2', '-T', String(settings.pgbenchSeconds), 'postgres']);
  const tps = Number(out.match(/tps = ([\d.]+)/)[1]);
  const postgres = cpuSince(before, cpuSnapshot()).postgres;
  // Each pgbench run starts on an empty table, and what it wrote does not weigh on the runs after it (the 100-row
  // runs write half a million rows: vacuuming them would run into the next measurement).
  sql('TRUNCATE bench_event');
  return { rowsPerSecond: round(tps * rowsPerTransaction), transactionsPerSecond: round(tps), cpuSeconds: { postgres, pgbench: cpu } };
}

// --- the run -----------------------------------------------------------------------------------------------------
const settingsInForce = {
  postgres: Object.fromEntries(['fsync', 'synchronous_commit', 'full_page_writes', 'wal_init_zero', 'shared_buffers', 'max_wal_size', 'checkpoint_timeout', 'wal_level', 'max_connections', 'server_version']
    .map((name) => [name, sql(`SHOW ${name}`)])),
  jvm: settings.javaOptions, wrk: `-t${WRK_THREADS} -c${settings.connections}`, pgbench: `-c ${settings.pgbenchClients} -j 2 -T ${settings.pgbenchSeconds}`,
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: round(totalmem() / 2 ** 30, 1) },
  paced: { seconds: settings.pacedSeconds, rounds: settings.pacedRounds },
};
if (settingsInForce.postgres.fsync !== 'on' || settingsInForce.postgres.synchronous_commit !== 'on') {
  throw new Error('fsync and synchronous_commit must be on for a benchmark');
}

log(`preparing votes (${settings.repeats} × (2 × ${settings.votes} + 2 × ${settings.asItComesVotes}) for the repeated runs)`);
const repeated = [];
for (let r = 1; r <= settings.repeats; r++) {
  repeated.push({
    direct: await prepare(settings.votes, `direct-${r}`),
    edge: await prepare(settings.votes, `edge-${r}`),
    asItComes: await prepare(settings.asItComesVotes, `as-it-comes-${r}`),
    asItComesJdbc: await prepare(settings.asItComesVotes, `as-it-comes-jdbc-${r}`),
  });
  log(`prepared repetition ${r}`);
}
// Warm-up (not reported): a JVM's JIT compilers go on working long after its first votes (on 2026-12-04 the command
// side's still took a fifth of its CPU in the third run of 20,000 votes, 4% in the sixth), and a run measured
// meanwhile measures the compilers too. Each path is warmed until, in one run, its JVMs' compilers took under 5% of
// their CPU: at least three runs, at most twenty. The peers get the same warm-up; with 16 writers each, their
// compilers still took a fifth of their CPU after ten runs of 8,000 votes (2026-12-06).
async function warmUp(label, count, url, jvms, options = {}) {
  for (let i = 1; ; i++) {
    const result = await sendVotes(await prepare(count, `${label}-${i}`), url, options);
    const share = Math.max(...jvms.map((jvm) => result.jitCompilerShareOfCpu[jvm] ?? 1));
    log(`${label} ${i}: ${result.votesPerSecond} votes/s; JIT compilers ${round(100 * share)}% of the CPU (${jvms.join(', ')})`);
    if ((i >= 3 && share < 0.05) || i === 20) return;
  }
}
await warmUp('warm-up', settings.votes, settings.command, ['command-side', 'query-side'], { watchTally: true });
await warmUp('warm-up-edge', 5000, settings.edge, ['edge'], { viaEdge: true });
await warmUp('warm-up-as-it-comes', settings.asItComesVotes, settings.asItComesCommand, ['axon-as-it-comes']);
await warmUp('warm-up-as-it-comes-jdbc', settings.asItComesVotes, settings.asItComesJdbcCommand, ['axon-as-it-comes-jdbc']);

const scripts = pgbenchScripts();
const runs = [];
for (let r = 0; r < settings.repeats; r++) {
  const round_ = { repetition: r + 1 };
  log(`repetition ${r + 1}: pgbench single-row`);
  round_.pgbenchSingleRow = await pgbench(scripts.single, 1);
  log(`repetition ${r + 1}: pgbench 100 rows per transaction`);
  round_.pgbenchHundredRows = await pgbench(scripts.hundred, 100);
  log(`repetition ${r + 1}: votes straight to the command side`);
  round_.direct = await sendVotes(repeated[r].direct, settings.command, { watchTally: true });
  log(`repetition ${r + 1}: votes through the edge`);
  round_.edge = await sendVotes(repeated[r].edge, settings.edge, { viaEdge: true });
  log(`repetition ${r + 1}: Axon as it comes (JPA engine)`);
  round_.asItComes = await sendVotes(repeated[r].asItComes, settings.asItComesCommand);
  log(`repetition ${r + 1}: Axon as it comes with the JDBC engine`);
  round_.asItComesJdbc = await sendVotes(repeated[r].asItComesJdbc, settings.asItComesJdbcCommand);
  runs.push(round_);
  log(`  pgbench ${round_.pgbenchSingleRow.rowsPerSecond}/s, ×100 ${round_.pgbenchHundredRows.rowsPerSecond} rows/s, `
    + `direct ${round_.direct.votesPerSecond}/s, edge ${round_.edge.votesPerSecond}/s, as it comes ${round_.asItComes.votesPerSecond}/s `
    + `(JDBC engine ${round_.asItComesJdbc.votesPerSecond}/s)`);
}
sql('DROP TABLE bench_event');
// The repeated runs wrote a few hundred thousand events, receipts and read-model rows; autovacuum took them on
// during the first latency windows (5 autovacuums finished in the first 50% window of the 2026-12-07 08:45 run,
// whose p99 was 105 ms against 46 and 35 ms in the two after it). Vacuumed here, each window carries only the
// vacuuming its own votes bring.
log('vacuuming the database before the latency windows');
sql('VACUUM (ANALYZE)');

const saturation = median(runs.map((r) => r.direct.votesPerSecond));
const shares = [0.25, 0.5, 0.75];
const windows = new Map(shares.map((share) => [share, []]));
for (let r = 1; r <= settings.pacedRounds; r++) {
  for (const share of shares) {
    const rate = Math.round(saturation * share);
    const batch = await prepare(Math.round(rate * settings.pacedSeconds), `paced-${share * 100}-${r}`);
    log(`round ${r}: offered ${rate} votes/s (${share * 100}% of saturation)`);
    const window = await sendVotes(batch, settings.command, { rate });
    log(`  p50 ${window.latencyMs.p50} ms, p99 ${window.latencyMs.p99} ms; checkpoints ${window.checkpoints}, autovacuums ${window.autovacuums}`);
    windows.get(share).push(window);
  }
}
// Each rate's percentiles over all the votes of its windows; each window's own figures are kept beside them.
const paced = shares.map((share) => {
  const ofShare = windows.get(share);
  const latencies = ofShare.flatMap((w) => w.latencies).sort((a, b) => a - b);
  return {
    share, offeredPerSecond: ofShare[0].offeredPerSecond, votesPerSecond: median(ofShare.map((w) => w.votesPerSecond)),
    votes: latencies.length,
    latencyMs: latencySummary(latencies),
    windows: ofShare,
  };
});

const figure = (pick) => {
  const xs = runs.map(pick);
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
};
const heap = Object.fromEntries(['command-side', 'query-side', 'edge'].map((n) => [n, heapMiB(n)]));
const all = [...runs.flatMap((r) => [r.direct, r.edge, r.asItComes, r.asItComesJdbc]), ...paced.flatMap((p) => p.windows)];
const failed = all.filter((r) => !r.invariants.ok);
const result = {
  date: new Date().toISOString(),
  votesPerSecond: figure((r) => r.direct.votesPerSecond).median,
  votesPerSecondThroughEdge: figure((r) => r.edge.votesPerSecond).median,
  pgbenchSingleRowPerSecond: figure((r) => r.pgbenchSingleRow.rowsPerSecond).median,
  pgbenchHundredRowsPerSecond: figure((r) => r.pgbenchHundredRows.rowsPerSecond).median,
  axonAsItComesPerSecond: figure((r) => r.asItComes.votesPerSecond).median,
  axonAsItComesJdbcPerSecond: figure((r) => r.asItComesJdbc.votesPerSecond).median,
  ranges: {
    votesPerSecond: figure((r) => r.direct.votesPerSecond), votesPerSecondThroughEdge: figure((r) => r.edge.votesPerSecond),
    pgbenchSingleRowPerSecond: figure((r) => r.pgbenchSingleRow.rowsPerSecond),
    pgbenchHundredRowsPerSecond: figure((r) => r.pgbenchHundredRows.rowsPerSecond),
    axonAsItComesPerSecond: figure((r) => r.asItComes.votesPerSecond),
    axonAsItComesJdbcPerSecond: figure((r) => r.asItComesJdbc.votesPerSecond),
  },
  tallyLagMsP99AtSaturation: median(runs.map((r) => r.direct.tallyLagMs.p99)),
  latencyMsAtHalfSaturation: paced.find((p) => p.share === 0.5).latencyMs,
  paced, runs, heapMiB: heap, settings: settingsInForce, invariantsHeld: failed.length === 0,
};
result.ratios = {
  votesToPgbenchSingleRow: round(result.votesPerSecond / result.pgbenchSingleRowPerSecond, 2),
  votesToAxonAsItComes: round(result.votesPerSecond / result.axonAsItComesPerSecond, 2),
  votesToAxonAsItComesJdbc: round(result.votesPerSecond / result.axonAsItComesJdbcPerSecond, 2),
};

const jsonPath = join(ROOT, 'docs', 'benchmarks.json');
const merged = existsSync(jsonPath) ? JSON.parse(readFileSync(jsonPath, 'utf8')) : {};
merged.intake = result;
Object.assign(merged, {
  votesPerSecond: result.votesPerSecond, pgbenchSingleRowPerSecond: result.pgbenchSingleRowPerSecond,
  axonAsItComesPerSecond: result.axonAsItComesPerSecond, axonAsItComesJdbcPerSecond: result.axonAsItComesJdbcPerSecond,
});
if (failed.length === 0) {
  writeFileSync(jsonPath, `${JSON.stringify(merged, null, 2)}\n`);
  writeMarkdown(result);
  log(`wrote docs/benchmarks.json and docs/benchmarks.md`);
}
log(`votes/s ${result.votesPerSecond} (${result.ratios.votesToPgbenchSingleRow}× pgbench single-row ${result.pgbenchSingleRowPerSecond}/s, `
  + `${result.ratios.votesToAxonAsItComes}× Axon as it comes ${result.axonAsItComesPerSecond}/s, `
  + `${result.ratios.votesToAxonAsItComesJdbc}× with its JDBC engine ${result.axonAsItComesJdbcPerSecond}/s); through the edge ${result.votesPerSecondThroughEdge}/s; `
  + `p99 at 50% ${result.latencyMsAtHalfSaturation.p99} ms; SSE lag p99 ${result.tallyLagMsP99AtSaturation} ms`);
if (failed.length) {
  failed.forEach((r) => log(`FAILED ${r.label}: ${JSON.stringify(r.invariants)}`));
  writeFileSync(join(work, 'result.json'), JSON.stringify(result, null, 2));
  log(`the benchmark failed its invariants; nothing written to docs/ (result: ${join(work, 'result.json')})`);
  process.exit(1);
}

// --- docs/benchmarks.md: the intake part, between its markers ----------------------------------------------------
function writeMarkdown(r) {
  const range = (f) => `${f.median} (${f.min}–${f.max})`;
  const cpu = (run) => ['command-side', 'query-side', 'edge', 'postgres', 'wrk']
    .map((k) => `${k} ${run.cpuMicrosecondsPerVote[k] ?? 0}`).join(', ');
  const lines = [
    '## Vote intake',
    '<!-- intake:begin (written by ./voting bench intake) -->',
    '',
    `Measured ${r.date.slice(0, 10)} on this machine (${r.settings.machine.cpus} cores, ${r.settings.machine.cpuModel}, `
      + `${r.settings.machine.memoryGiB} GiB), load generator on the same machine, the query side projecting. PostgreSQL `
      + `${r.settings.postgres.server_version}: fsync=${r.settings.postgres.fsync}, synchronous_commit=${r.settings.postgres.synchronous_commit}, `
      + `full_page_writes=${r.settings.postgres.full_page_writes}, wal_init_zero=${r.settings.postgres.wal_init_zero}, max_wal_size=${r.settings.postgres.max_wal_size}, `
      + `checkpoint_timeout=${r.settings.postgres.checkpoint_timeout}. Each JVM: \`${r.settings.jvm}\`.`,
    '',
    'Reproduce: `./voting bench intake` (about 50 minutes; it starts its own stack in a temporary directory).',
    '',
    `Median (range) of ${r.runs.length} alternated repetitions:`,
    '',
    '| What | Per second |',
    '|---|---|',
    `| Accepted votes, straight to the command side (signature and token verified, committed, receipt signed) | ${range(r.ranges.votesPerSecond)} |`,
    `| Accepted votes through the edge | ${range(r.ranges.votesPerSecondThroughEdge)} |`,
    `| pgbench, one event row per transaction (${r.settings.pgbench}) | ${range(r.ranges.pgbenchSingleRowPerSecond)} |`,
    `| pgbench, 100 event rows per transaction (rows) | ${range(r.ranges.pgbenchHundredRowsPerSecond)} |`,
    `| The same vote path as Axon comes: Axon's JPA engine, one transaction per vote, handler timeouts on, 16 writers | ${range(r.ranges.axonAsItComesPerSecond)} |`,
    `| The same, with Axon's JDBC engine (the one these services use) | ${range(r.ranges.axonAsItComesJdbcPerSecond)} |`,
    '',
    `Votes per second are ${r.ratios.votesToPgbenchSingleRow}× pgbench single-row, ${r.ratios.votesToAxonAsItComes}× Axon as it comes `
      + `and ${r.ratios.votesToAxonAsItComesJdbc}× Axon as it comes with its JDBC engine.`,
    '',
    'Against the target: '
      + [[r.ratios.votesToPgbenchSingleRow >= 0.35, `≥ 0.35× pgbench single-row (${r.ratios.votesToPgbenchSingleRow}×)`],
        [r.ratios.votesToAxonAsItComes >= 3, `≥ 3× Axon as it comes, JPA engine (${r.ratios.votesToAxonAsItComes}×)`],
        [r.latencyMsAtHalfSaturation.p99 <= 50, `p99 ≤ 50 ms at 50% of saturation (${r.latencyMsAtHalfSaturation.p99} ms)`],
        [r.tallyLagMsP99AtSaturation <= 1000, `SSE tally lag p99 ≤ 1 s at saturation (${r.tallyLagMsP99AtSaturation} ms)`]]
        .map(([met, what]) => `${what} ${met ? 'met' : '**not met**'}`).join('; ') + '; each JVM ran with a 512 MiB heap.',
    '',
    `The edge costs ${round(100 - 100 * r.votesPerSecondThroughEdge / r.votesPerSecond)}% of the throughput.`,
    `Tally over SSE behind the acknowledged votes at saturation: p99 ${r.tallyLagMsP99AtSaturation} ms (SSE sends at most 4 events a second).`,
    '',
    `Latency to receipt, offered at a fixed rate (open model: measured from when each vote was due), each rate in `
      + `${r.settings.paced.rounds} windows of ${r.settings.paced.seconds} s alternated with the others; percentiles over all `
      + 'their votes, and each window\'s own p99 (with the checkpoints and autovacuum runs PostgreSQL finished in it):',
    '',
    '| Offered | Accepted/s | p50 ms | p90 ms | p99 ms | max ms | p99 per window (checkpoints, autovacuums) |',
    '|---|---|---|---|---|---|---|',
    ...r.paced.map((p) => `| ${p.offeredPerSecond}/s (${p.share * 100}%) | ${p.votesPerSecond} | ${p.latencyMs.p50} | ${p.latencyMs.p90} | ${p.latencyMs.p99} | ${p.latencyMs.max} | `
      + `${p.windows.map((w) => `${w.latencyMs.p99} (${w.checkpoints}, ${w.autovacuums})`).join(', ')} |`),
    '',
    `CPU µs per accepted vote (the median straight run): ${cpu(r.runs.find((run) => run.direct.votesPerSecond === r.votesPerSecond).direct)}.`,
    `CPU stolen by other guests of the host during the straight runs: ${r.runs.map((run) => `${round(100 * run.direct.stolenShare, 1)}%`).join(', ')}.`,
    `Each path was warmed up first until its JVMs' JIT compilers were nearly idle (at most 20 runs); in the measured straight runs the compilers took (median) `
      + ['command-side', 'query-side'].map((k) => `${round(100 * median(r.runs.map((run) => run.direct.jitCompilerShareOfCpu[k] ?? 0)), 1)}% of the ${k}'s CPU`).join(' and ')
      + `; in the peers' runs, ${[['asItComes', 'axon-as-it-comes'], ['asItComesJdbc', 'axon-as-it-comes-jdbc']]
        .map(([run_, k]) => `${round(100 * median(r.runs.map((run) => run[run_].jitCompilerShareOfCpu[k] ?? 0)), 1)}% of ${k}'s`).join(' and ')}.`,
    `Heap after the run (MiB used/committed, limit 512): ${Object.entries(r.heapMiB).map(([k, v]) => `${k} ${v?.used}/${v?.committed}`).join(', ')}.`,
    'Every run checked: every vote answered 201, accepted = VoteCast events = receipts = tally total, one event per ballot.',
    'All figures and settings: `docs/benchmarks.json` (`intake`).',
    '<!-- intake:end -->',
  ];
  const path = join(ROOT, 'docs', 'benchmarks.md');
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const section = lines.join('\n');
  const old = /## Vote intake\n<!-- intake:begin[\s\S]*?<!-- intake:end -->/;
  const firstSection = current.indexOf('\n## ');
  const next = old.test(current) ? current.replace(old, section)
    : firstSection < 0 ? `${current.trimEnd()}\n\n${section}\n`
      : `${current.slice(0, firstSection + 1)}${section}\n\n${current.slice(firstSection + 1)}`;
  writeFileSync(path, next.endsWith('\n') ? next : `${next}\n`);
}
