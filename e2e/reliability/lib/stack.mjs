// The whole stack as `./voting up` runs it (the launcher supervises each service and PostgreSQL, restarting them
// with backoff), on loopback with its own data directory and ports, and the handles the faults need: the process
// of each service, the PostgreSQL server, the launcher's supervisor of a process, and SQL on the event store.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from './voters.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const PORTS = {
  edge: Number(process.env.VOTING_CHAOS_PORT ?? 19080),
  command: Number(process.env.VOTING_CHAOS_COMMAND_PORT ?? 19081),
  query: Number(process.env.VOTING_CHAOS_QUERY_PORT ?? 19082),
};
const START_TIMEOUT_MS = 6 * 60_000; // the launcher builds missing jars first; a loaded 2-core machine is slow
const STOP_TIMEOUT_MS = 90_000;

const log = (text) => process.stdout.write(`[chaos stack] ${text}\n`);

async function healthy(port) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/actuator/health`, { signal: AbortSignal.timeout(3000) });
    return response.ok && (await response.json()).status === 'UP';
  } catch {
    return false;
  }
}

// VOTING_CHAOS_ATTACH=<data dir> uses a stack already started with `./voting up` on these ports (for working on
// the suite: it is not stopped at the end).
function attach(dataDir) {
  const stack = {
    dataDir, baseUrl: `http://127.0.0.1:${PORTS.edge}`, ports: PORTS, startSeconds: 0,
    adminToken: readFileSync(join(dataDir, 'admin-token'), 'utf8').trim(),
    async stop() {},
  };
  return Object.assign(stack, handles(stack));
}

export async function startStack() {
  if (process.env.VOTING_CHAOS_ATTACH) return attach(process.env.VOTING_CHAOS_ATTACH);
  const dataDir = mkdtempSync(join(tmpdir(), 'voting-chaos-'));
  const env = {
    ...process.env,
    VOTING_DATA_DIR: dataDir,
    VOTING_PORT: String(PORTS.edge),
    VOTING_COMMAND_PORT: String(PORTS.command),
    VOTING_QUERY_PORT: String(PORTS.query),
    // Rate limits off: the suite is one loopback address playing hundreds of voters.
    VOTING_JAVA_OPTS: '-Xmx512m -XX:+UseG1GC -Dvoting.edge.rate-limit.enabled=false',
  };
  delete env.VOTING_DB_URL; // the launcher's own embedded PostgreSQL, which the suite stops and starts
  delete env.VOTING_ADMIN_TOKEN;

  const launcherLog = join(dataDir, 'launcher.log');
  const out = openSync(launcherLog, 'a');
  log(`starting ./voting up (data ${dataDir}, ports ${PORTS.edge}/${PORTS.command}/${PORTS.query})`);
  const started = Date.now();
  const launcher = spawn(join(ROOT, 'voting'), ['up'], { cwd: ROOT, env, detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  const exit = new Promise((resolve) => launcher.once('exit', (code, signal) => resolve(code ?? signal)));
  let stopped = false;
  const lastResort = () => { if (!stopped) try { process.kill(launcher.pid, 'SIGTERM'); } catch { /* gone */ } };
  process.once('exit', lastResort);

  const stack = {
    dataDir,
    baseUrl: `http://127.0.0.1:${PORTS.edge}`,
    ports: PORTS,

    async stop() {
      if (stopped) return;
      stopped = true;
      if (launcher.exitCode === null && launcher.signalCode === null) {
        process.kill(launcher.pid, 'SIGTERM');
        const code = await Promise.race([exit, sleep(STOP_TIMEOUT_MS).then(() => 'timeout')]);
        if (code === 'timeout') {
          log('the launcher did not stop in time; killing its process group');
          try { process.kill(-launcher.pid, 'SIGKILL'); } catch { /* gone */ }
        }
      }
      process.removeListener('exit', lastResort);
      const logsTo = join(ROOT, 'e2e', 'test-results', 'chaos-logs');
      try {
        mkdirSync(logsTo, { recursive: true });
        if (existsSync(join(dataDir, 'logs'))) cpSync(join(dataDir, 'logs'), logsTo, { recursive: true });
        cpSync(launcherLog, join(logsTo, 'launcher.log'));
      } catch (error) {
        log(`could not keep the logs: ${error.message}`);
      }
      if (!process.env.VOTING_CHAOS_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
    },

  };

  Object.assign(stack, handles(stack));

  const up = await (async () => {
    while (Date.now() - started < START_TIMEOUT_MS) {
      if (launcher.exitCode !== null || launcher.signalCode !== null) return false;
      if (readFileSync(launcherLog, 'utf8').includes('The voting platform is up:')) return true;
      await sleep(250);
    }
    return false;
  })();
  if (!up || !await healthy(PORTS.edge)) {
    const tail = readFileSync(launcherLog, 'utf8').split('\n').slice(-30).join('\n');
    await stack.stop();
    throw new Error(`the stack did not start\n${tail}`);
  }
  stack.adminToken = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
  stack.startSeconds = (Date.now() - started) / 1000;
  log(`up in ${stack.startSeconds.toFixed(1)} s`);
  return stack;
}

// The handles the faults need, for a stack whose data directory is stack.dataDir.
function handles(stack) {
  const { dataDir } = stack;
  return {
    // The JVM running a service (command-side, query-side, edge, db): found by the jar the launcher runs it from.
    pidOf(service) {
      const jar = join(dataDir, 'run', `${service}.jar`);
      for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        try {
          const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
          if (args[0].endsWith('java') && args.includes(jar)) return Number(entry);
        } catch { /* gone meanwhile */ }
      }
      return null;
    },

    // The launcher's supervisor of a service: the shell that restarts it when it dies.
    supervisorOf(service) {
      const pid = stack.pidOf(service);
      return pid === null ? null : Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[2]);
    },

    postmasterPid() {
      return Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    },

    // Waits until a service answers UP on its own port again (after the supervisor restarted it).
    async waitHealthy(port, timeoutMs = 180_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (await healthy(port)) return Date.now();
        await sleep(250);
      }
      throw new Error(`port ${port} not healthy within ${timeoutMs / 1000} s`);
    },

    // Plain SQL on the event store, with psql, as an operator would check it; rows as arrays of columns.
    sql(query, ...params) {
      const url = readFileSync(join(dataDir, 'postgres.url'), 'utf8').trim().replace(/^jdbc:postgresql:\/\//, 'postgresql://postgres@');
      const args = [url, '-X', '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1'];
      params.forEach((value, i) => args.push('-v', `p${i + 1}=${value}`));
      const output = execFileSync('psql', args, { input: query, encoding: 'utf8', timeout: 60_000 });
      return output.split('\n').filter((line) => line !== '').map((line) => line.split('\t'));
    },

    // The voteHash of every VoteCast event of an election, straight from the event store.
    storedVoteHashes(electionId) {
      return stack.sql(`SELECT convert_from(payload, 'UTF8')::jsonb->>'voteHash' FROM domain_event_entry
        WHERE payload_type LIKE '%VoteCast' AND convert_from(payload, 'UTF8')::jsonb->>'electionId' = :'p1'`, electionId)
        .map(([hash]) => hash);
    },
  };
}
