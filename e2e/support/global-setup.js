// Starts the whole stack with the launcher (`../voting up`) on loopback, with its own data directory and ports, and
// returns the teardown: SIGTERM to the launcher (which stops the services, then PostgreSQL) and a wait for it to exit.
// The launcher runs in its own process group, so a Ctrl-C in the terminal reaches only the test runner, which then
// runs this teardown: the launcher gets exactly one SIGTERM (a second one would cut its orderly stop short).
import { spawn } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE_URL, PORTS } from './browser.js';

const E2E_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = join(E2E_DIR, '..');
const START_TIMEOUT_MS = 5 * 60_000; // the launcher builds missing jars first
const STOP_TIMEOUT_MS = 90_000;

const log = (text) => process.stdout.write(`[e2e stack] ${text}\n`);

function exited(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode ?? child.signalCode);
    else child.once('exit', (code, signal) => resolve(code ?? signal));
  });
}

async function healthy(url) {
  try {
    const response = await fetch(`${url}/actuator/health`);
    return response.ok && (await response.json()).status === 'UP';
  } catch {
    return false;
  }
}

export default async function globalSetup() {
  if (process.env.VOTING_E2E_BASE_URL) {
    if (!process.env.VOTING_E2E_ADMIN_TOKEN) throw new Error('VOTING_E2E_BASE_URL needs VOTING_E2E_ADMIN_TOKEN');
    if (!await healthy(BASE_URL)) throw new Error(`${BASE_URL} is not healthy`);
    log(`using the running stack at ${BASE_URL}`);
    return undefined;
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'voting-e2e-'));
  const env = {
    ...process.env,
    VOTING_DATA_DIR: dataDir,
    VOTING_PORT: String(PORTS.edge),
    VOTING_COMMAND_PORT: String(PORTS.command),
    VOTING_QUERY_PORT: String(PORTS.query),
    // The launcher's default JVM options, plus the edge's rate limits off: the whole suite is one loopback client
    // that asks for dozens of ballot tokens a minute. (The property means nothing to the other two services.)
    VOTING_JAVA_OPTS: '-Xmx512m -XX:+UseG1GC -Dvoting.edge.rate-limit.enabled=false',
  };
  delete env.VOTING_DB_URL; // always the launcher's own embedded PostgreSQL in dataDir

  // The launcher writes to a file, not a pipe: a launcher that outlived this process would otherwise die of SIGPIPE
  // in the middle of stopping the services.
  let stopped = false;
  const launcherLog = join(dataDir, 'launcher.log');
  const outFd = openSync(launcherLog, 'a');
  log(`starting ../voting up (data ${dataDir}, ports ${PORTS.edge}/${PORTS.command}/${PORTS.query})`);
  const started = Date.now();
  const launcher = spawn(join(ROOT, 'voting'), ['up'], { cwd: ROOT, env, detached: true, stdio: ['ignore', outFd, outFd] });
  closeSync(outFd);
  const output = () => readFileSync(launcherLog, 'utf8');
  const upLine = new Promise((resolve) => {
    const look = setInterval(() => {
      if (output().includes('The voting platform is up:')) {
        clearInterval(look);
        resolve();
      }
    }, 250);
    launcher.once('exit', () => clearInterval(look));
  });
  // Should this process end without its teardown (a crash), the launcher still gets its SIGTERM.
  const lastResort = () => { if (!stopped) try { process.kill(launcher.pid, 'SIGTERM'); } catch { /* gone */ } };
  process.once('exit', lastResort);
  const exit = exited(launcher);

  async function teardown() {
    if (stopped) return;
    stopped = true;
    if (launcher.exitCode === null && launcher.signalCode === null) {
      const stopping = Date.now();
      process.kill(launcher.pid, 'SIGTERM');
      let timer;
      const code = await Promise.race([exit, new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS); })]);
      clearTimeout(timer);
      if (code === 'timeout') {
        log(`the launcher did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing its process group`);
        try { process.kill(-launcher.pid, 'SIGKILL'); } catch { /* gone */ }
      } else {
        log(`stopped in ${((Date.now() - stopping) / 1000).toFixed(1)} s`);
      }
    }
    process.removeListener('exit', lastResort);
    // The services' logs go with the test report; the data directory (PostgreSQL's files) goes away.
    const logsTo = join(E2E_DIR, 'test-results', 'stack-logs');
    try {
      mkdirSync(logsTo, { recursive: true });
      if (existsSync(join(dataDir, 'logs'))) cpSync(join(dataDir, 'logs'), logsTo, { recursive: true });
      if (existsSync(launcherLog)) cpSync(launcherLog, join(logsTo, 'launcher.log'));
    } catch (error) {
      log(`could not keep the logs: ${error.message}`);
    }
    if (!process.env.VOTING_E2E_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
  }

  let timer;
  const outcome = await Promise.race([
    upLine.then(() => 'up'),
    exit.then((code) => `exited (${code})`),
    new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), START_TIMEOUT_MS); }),
  ]);
  clearTimeout(timer);
  if (outcome !== 'up' || !await healthy(BASE_URL)) {
    await teardown();
    throw new Error(`the stack did not start: ${outcome}\n${output().split('\n').slice(-30).join('\n')}`);
  }
  const adminToken = process.env.VOTING_ADMIN_TOKEN || readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
  process.env.VOTING_E2E_ADMIN_TOKEN = adminToken; // the workers inherit the runner's environment
  log(`up at ${BASE_URL} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return teardown;
}
