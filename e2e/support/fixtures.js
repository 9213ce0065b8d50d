// The suite's fixtures and browser-side helpers: contexts prepared as a test device, more devices, screenshots kept
// with the report, axe-core checks, the vote card's states, the device's IndexedDB outbox, and request counters.
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test as base, expect, chromium } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { BASE_URL, CHROMIUM, CHROMIUM_ARGS, VIEWPORT } from './browser.js';

export { expect };

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
export const STATE_WORDS = { queued: 'Queued', sending: 'Transmitting', confirmed: 'Confirmed', failed: 'Failed' };

// Runs in every page of a test device before the app: no 0–15 s wait after coming back online (the client's own
// test knob), and a record of every state a vote card showed, in order, for assertions on transitions too quick to
// catch by polling.
function deviceInitScript() {
  try {
    localStorage.setItem('voting.onlineJitterMs', '0');
  } catch { /* not an origin with storage (about:blank) */ }
  window.__voteStates = [];
  const record = () => {
    for (const card of document.querySelectorAll('[data-testid="vote-card"]')) {
      const id = card.getAttribute('data-vote-id');
      const status = card.getAttribute('data-status');
      const last = window.__voteStates.filter((entry) => entry.id === id).at(-1);
      if (!last || last.status !== status) window.__voteStates.push({ id, status, at: Date.now() });
    }
  };
  new MutationObserver(record).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
}

export async function prepareDevice(context) {
  await context.addInitScript(deviceInitScript);
  return context;
}

export function launchOptions() {
  return { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true };
}
export const contextOptions = () => ({ baseURL: BASE_URL, viewport: VIEWPORT, locale: 'en-GB', timezoneId: 'UTC' });

// The same device started again: a persistent profile directory, as a browser closed and opened later.
export async function launchProfile(dir) {
  return prepareDevice(await chromium.launchPersistentContext(dir, { ...launchOptions(), ...contextOptions() }));
}

const slug = (text) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);

class Look {
  constructor(testInfo) {
    this.testInfo = testInfo;
    this.count = 0;
    this.dir = join(testInfo.project.outputDir, 'screenshots');
    mkdirSync(this.dir, { recursive: true });
  }

  // A screenshot of what the voter sees now, kept in test-results/screenshots/ and attached to the report.
  async snap(page, name) {
    this.count += 1;
    const spec = basename(this.testInfo.file).replace(/\.spec\.js$/, '');
    const file = join(this.dir, `${spec}--${slug(this.testInfo.title).slice(0, 40)}--${String(this.count).padStart(2, '0')}-${slug(name)}.png`);
    await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
    await this.testInfo.attach(name, { path: file, contentType: 'image/png' });
  }

  // axe-core with the WCAG 2.0/2.1 A and AA and WCAG 2.2 AA rules: no violations on this screen in this state.
  async axe(page, name) {
    const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
    const violations = results.violations.map((v) => ({
      rule: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
    }));
    this.testInfo.annotations.push({ type: 'axe', description: `${name}: ${results.passes.length} rules pass, ${violations.length} violations` });
    if (violations.length) {
      await this.testInfo.attach(`axe ${name}`, { body: JSON.stringify(results.violations, null, 2), contentType: 'application/json' });
    }
    expect(violations, `axe-core (${AXE_TAGS.join(', ')}) on "${name}"`).toEqual([]);
  }

  // Both: every main state is looked at and checked for accessibility.
  async screen(page, name) {
    await this.snap(page, name);
    await this.axe(page, name);
  }
}

export const test = base.extend({
  context: async ({ context }, use) => {
    await use(await prepareDevice(context));
  },
  // More devices (voters, watchers) in the same browser, each with its own storage, keys and service worker;
  // closed after the test.
  newDevice: async ({ browser }, use) => {
    const made = [];
    await use(async (options = {}) => {
      const context = await prepareDevice(await browser.newContext({ ...contextOptions(), ...options }));
      made.push(context);
      return context;
    });
    for (const context of made) await context.close();
  },
  look: async ({}, use, testInfo) => {
    await use(new Look(testInfo));
  },
});

// --- the vote card ----------------------------------------------------------------------------------------------

export async function expectVoteState(card, status, { timeout } = {}) {
  await expect(card).toHaveAttribute('data-status', status, { timeout });
  await expect(card.getByTestId('vote-state')).toHaveText(STATE_WORDS[status]);
}

// The states the page's vote cards showed, in order (from the init script's recorder).
export const stateHistory = (page, voteId) => page.evaluate(
  (id) => window.__voteStates.filter((entry) => !id || entry.id === id).map((entry) => entry.status), voteId);

// --- the device's storage and network ---------------------------------------------------------------------------

// Every vote the device's IndexedDB outbox holds (read with plain IndexedDB, not the app's code).
export const readOutbox = (page) => page.evaluate(() => new Promise((resolve, reject) => {
  const opening = indexedDB.open('voting-client');
  opening.onerror = () => reject(opening.error);
  opening.onsuccess = () => {
    const db = opening.result;
    const all = db.transaction('outbox', 'readonly').objectStore('outbox').getAll();
    all.onsuccess = () => { resolve(all.result); db.close(); };
    all.onerror = () => { reject(all.error); db.close(); };
  };
}));

// The app works offline once its service worker controls the page (it activates only after precaching the shell).
export async function waitForOfflineReady(page) {
  await page.waitForFunction(() => navigator.serviceWorker?.controller?.state === 'activated', null, { timeout: 15_000 });
}

// Counts requests of the whole context, the service worker's included: [{path, at, fromWorker}].
export function countRequests(context, method, pathPattern) {
  const seen = [];
  context.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (request.method() === method && pathPattern.test(path)) {
      seen.push({ path, at: Date.now(), fromWorker: Boolean(request.serviceWorker()) });
    }
  });
  return seen;
}

export const VOTES_PATH = /^\/api\/v1\/elections\/[^/]+\/votes$/;
export const TOKENS_PATH = /^\/api\/v1\/elections\/[^/]+\/ballot-tokens$/;

export const electionUrl = (election) => `/#/elections/${encodeURIComponent(election.id)}`;

// Opens an election page and waits for the server's copy of the election.
export async function openElection(page, election) {
  await page.goto(electionUrl(election));
  await expect(page.getByTestId('election-title')).toHaveText(election.title);
  await expect(page.getByTestId('election')).toHaveAttribute('data-status', election.status);
}
