// @vitest-environment happy-dom
// The voter's pages as rendered, with the real store, outbox and sync engine over a fake server: what the
// browser end-to-end tests will look for (labels, roles, data-testid) is here.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp, nextTick, reactive } from 'vue';
import App from '../src/app/App.vue';
import { createStore } from '../src/app/store.js';
import { createSyncEngine } from '../src/lib/sync.js';
import { createScheduler } from '../src/lib/scheduler.js';
import { createFakeServer } from './support/fakeServer.js';
import { apiFor, newDb } from './support/env.js';
import { voteCode } from '../src/lib/voteCrypto.js';

async function waitFor(check, what, timeoutMs = 5000) {
  const start = Date.now();
  for (;;) {
    await nextTick();
    const value = check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let mounted = [];
afterEach(() => {
  for (const app of mounted) app.unmount();
  mounted = [];
  document.body.innerHTML = '';
  vi.unstubAllGlobals();
});

async function mountApp({ elections = [{}], notify } = {}) {
  vi.stubGlobal('EventSource', undefined); // the tally polls the fake server
  const server = await createFakeServer({ elections });
  const db = newDb();
  const api = apiFor(server);
  const net = { online: false };
  let store;
  const engine = createSyncEngine({ db, api, owner: 'ui', locks: null, isOnline: () => net.online,
    notify: () => store?.reload() });
  const scheduler = createScheduler({ engine, target: new EventTarget(), doc: new EventTarget(), serviceWorker: null });
  store = createStore({ db, api, scheduler, nav: { onLine: true }, target: new EventTarget(), notify });
  await store.reload();
  const route = reactive({ name: 'election', id: 'demo' });
  const root = document.createElement('div');
  document.body.appendChild(root);
  const app = createApp(App);
  app.provide('store', store);
  app.provide('route', route);
  app.mount(root);
  mounted.push(app);
  const q = (testid) => document.querySelector(`[data-testid="${testid}"]`);
  return { server, db, engine, net, route, store, q };
}

describe('election page', () => {
  it('an accessible ballot: fieldset and legend, labelled radios, a Cast vote button, one polite status region', async () => {
    const { q } = await mountApp();
    await waitFor(() => q('ballot-form'), 'the ballot');
    expect(q('election-title').textContent).toBe('Demo election');
    const fieldset = q('ballot-form').querySelector('fieldset');
    expect(fieldset.querySelector('legend').textContent.trim()).toBe('Choose one option');
    const radios = [...fieldset.querySelectorAll('input[type="radio"]')];
    expect(radios.map((r) => r.value)).toEqual(['red', 'green', 'blue']);
    for (const radio of radios) {
      const label = document.querySelector(`label[for="${radio.id}"]`);
      expect(label?.textContent).toBeTruthy();
      expect(radio.name).toBe('choice');
      expect(radio.getAttribute('data-testid')).toBe(`option-${radio.value}`);
    }
    expect(q('cast-vote').textContent).toBe('Cast vote');
    expect(q('cast-vote').getAttribute('type')).toBe('submit');
    const regions = document.querySelectorAll('[role="status"]');
    expect(regions).toHaveLength(1);
    expect(regions[0].getAttribute('aria-live')).toBe('polite');
    expect(regions[0].getAttribute('data-testid')).toBe('status-region');
    await waitFor(() => q('tally-total'), 'the tally');
    expect(q('tally-count-red').textContent).toBe('0');
  });

  it('casting offline: Queued at once and announced; then Transmitting/Confirmed with the receipt', async () => {
    const { q, net, engine, store, server } = await mountApp();
    await waitFor(() => q('ballot-form'), 'the ballot');
    q('ballot-form').dispatchEvent(new Event('submit'));
    await waitFor(() => q('ballot-error'), 'the missing choice');
    expect(q('ballot-error').textContent).toBe('Choose an option first.');

    q('option-green').click();
    q('ballot-form').dispatchEvent(new Event('submit'));
    await waitFor(() => q('vote-state'), 'the vote state');
    expect(q('ballot-form')).toBeNull();
    expect(q('vote-state').textContent).toBe('Queued');
    expect(q('vote-choice').textContent).toBe('Green');
    expect(q('vote-retries').textContent).toBe('0');
    await waitFor(() => q('status-region').textContent.includes('Vote queued'), 'the queued announcement');

    net.online = true;
    await engine.run();
    await waitFor(() => q('vote-state')?.textContent === 'Confirmed', 'Confirmed');
    const voteHash = store.state.votes[0].receipt.voteHash;
    expect(q('receipt-ballot-id').textContent).toBe(store.state.votes[0].ballotId);
    expect(q('receipt-vote-code').textContent).toBe(voteCode(voteHash));
    expect(q('receipt-vote-code').textContent).toMatch(/^[0-9A-HJKMNP-TV-Z]{5} [0-9A-HJKMNP-TV-Z]{5}$/);
    expect(q('receipt-vote-hash').textContent).toBe(voteHash);
    await waitFor(() => q('status-region').textContent.includes('Vote confirmed'), 'the confirmed announcement');
    expect(q('status-region').textContent).toContain(`Vote code ${voteCode(voteHash)}.`);
    expect(server.ballots().size).toBe(1);
  });

  it('coming back to an election this device voted in shows that vote, and My votes lists it', async () => {
    const first = await mountApp();
    await waitFor(() => first.q('ballot-form'), 'the ballot');
    first.q('option-red').click();
    first.q('ballot-form').dispatchEvent(new Event('submit'));
    await waitFor(() => first.q('vote-state'), 'the vote');

    first.route.name = 'elections';
    await waitFor(() => first.q('election-list'), 'the list');
    await waitFor(() => first.q('election-link-demo'), 'the election link');
    expect(first.q('election-my-vote-demo').textContent).toContain('Queued');

    first.route.name = 'election';
    first.route.id = 'demo';
    await waitFor(() => first.q('vote-card'), 'the vote card');
    expect(first.q('ballot-form')).toBeNull();

    first.route.name = 'my-votes';
    await waitFor(() => first.q('my-votes-list'), 'my votes');
    const rows = document.querySelectorAll('[data-testid="my-vote"]');
    expect(rows).toHaveLength(1);
    expect(rows[0].querySelector('[data-testid="vote-state"]').textContent).toBe('Queued');
    expect(rows[0].querySelector('[data-testid="vote-retries"]').textContent).toBe('0');
    expect(rows[0].getAttribute('data-election-id')).toBe('demo');
  });

  it('an election not open shows no ballot', async () => {
    const { q } = await mountApp({ elections: [{ status: 'draft' }] });
    await waitFor(() => q('election-status'), 'the election');
    expect(q('ballot-form')).toBeNull();
    expect(q('ballot-closed').textContent).toContain('not opened yet');
  });

  it('a failed vote shows words for the voter (not the server\'s detail), and a retry only where it helps', async () => {
    const { q, net, engine, server } = await mountApp();
    await waitFor(() => q('ballot-form'), 'the ballot');
    q('option-blue').click();
    q('ballot-form').dispatchEvent(new Event('submit'));
    await waitFor(() => q('vote-state'), 'the vote');
    server.election().status = 'closed'; // closed before the queued vote could reach it
    net.online = true;
    await engine.run();
    await waitFor(() => q('vote-state')?.textContent === 'Failed', 'the failure');
    // Words for the voter, chosen by the problem's type; not the server's detail (here "election-closed (fake server)").
    expect(q('vote-error').textContent).toBe('Voting in this election has closed, so this vote was not counted');
    expect(q('vote-state-detail').textContent).toBe('Voting in this election has closed, so this vote was not counted.');
    expect(document.body.textContent).not.toContain('fake server');
    expect(q('retry-vote')).toBeNull();
    await waitFor(() => q('status-region').textContent.includes('Vote failed'), 'the failure announcement');
    // The page learns that the election closed: it says so, and offers no ballot to vote again.
    await waitFor(() => q('election-status')?.textContent === 'Status: Closed', 'the election shown as closed');
    expect(q('ballot-form')).toBeNull();
  });

  it('where a retry helps (not open yet), the Retry button queues the same vote again', async () => {
    const { q, net, engine, server, store } = await mountApp();
    await waitFor(() => q('ballot-form'), 'the ballot');
    q('option-red').click();
    q('ballot-form').dispatchEvent(new Event('submit'));
    await waitFor(() => q('vote-state'), 'the vote');
    server.election().status = 'draft';
    net.online = true;
    await engine.run();
    await waitFor(() => q('retry-vote'), 'the retry button');
    expect(q('vote-state').textContent).toBe('Failed');
    server.election().status = 'open';
    q('retry-vote').closest('form').dispatchEvent(new Event('submit'));
    await waitFor(() => q('vote-state')?.textContent === 'Confirmed', 'Confirmed after the retry');
    expect(q('vote-retries').textContent).toBe('1');
    expect(store.state.votes).toHaveLength(1);
  });
});

describe('results', () => {
  it('a closed election shows final results, not "Live"', async () => {
    const { q } = await mountApp({ elections: [{ status: 'closed' }] });
    await waitFor(() => q('tally-total'), 'the tally');
    await waitFor(() => q('tally-mode')?.textContent === 'Final results: voting has closed.', 'the final-results words');
    expect(q('tally').querySelector('h2').textContent).toBe('Final results');
    expect(q('tally').textContent).not.toMatch(/live|so far/i);
  });

  it('an open election still says its results are live', async () => {
    const { q } = await mountApp();
    await waitFor(() => q('tally-total'), 'the tally');
    expect(q('tally').querySelector('h2').textContent).toBe('Results so far');
  });

  it('hidden results say when they will be shown', async () => {
    const closesAt = '2031-05-04T18:00:00Z';
    const { q } = await mountApp({ elections: [{ liveResults: false, closesAt }] });
    await waitFor(() => q('results-hidden'), 'the hidden-results note');
    expect(q('tally')).toBeNull();
    expect(q('results-hidden').textContent).toContain('does not show results while voting is open');
    expect(q('results-hidden').textContent).toContain(`when voting closes (${new Date(closesAt).toLocaleString()})`);
  });

  it('hidden results without a closing time still say when', async () => {
    const { q } = await mountApp({ elections: [{ liveResults: false }] });
    await waitFor(() => q('results-hidden'), 'the hidden-results note');
    expect(q('results-hidden').textContent).toContain('They will be published here when voting closes.');
  });
});

describe('revoting', () => {
  it('with two confirmed votes in one election, the newest is marked as counting and the older as replaced', async () => {
    const { q, net, engine, route } = await mountApp({ elections: [{ revoting: true }] });
    net.online = true;
    await waitFor(() => q('ballot-form'), 'the ballot');
    q('option-red').click();
    q('ballot-form').dispatchEvent(new Event('submit'));
    await engine.run();
    await waitFor(() => q('vote-state')?.textContent === 'Confirmed', 'the first vote confirmed');
    expect(q('vote-standing')).toBeNull(); // one confirmed vote: nothing to tell apart

    await waitFor(() => q('change-vote'), 'the change button');
    q('change-vote').click();
    await waitFor(() => q('ballot-form'), 'the new ballot');
    q('option-blue').click();
    q('ballot-form').dispatchEvent(new Event('submit'));
    await engine.run();
    await waitFor(() => q('vote-choice')?.textContent === 'Blue' && q('vote-state')?.textContent === 'Confirmed',
      'the second vote confirmed');
    await waitFor(() => q('vote-standing'), 'the standing on the election page');
    expect(q('vote-standing').getAttribute('data-standing')).toBe('counts');

    route.name = 'my-votes';
    await waitFor(() => document.querySelectorAll('[data-testid="vote-standing"]').length === 2, 'both standings');
    const rows = [...document.querySelectorAll('[data-testid="my-vote"]')].map((row) => ({
      choice: row.querySelector('[data-testid="vote-choice"]').textContent,
      state: row.querySelector('[data-testid="vote-state"]').textContent,
      standing: row.querySelector('[data-testid="vote-standing"]').textContent,
    }));
    expect(rows).toEqual([
      { choice: 'Blue', state: 'Confirmed', standing: 'This is the vote that counts: it is your newest confirmed vote.' },
      { choice: 'Red', state: 'Confirmed', standing: 'Replaced by your newer vote: it is stored, but only your newest vote counts.' },
    ]);
  });
});

describe('offline', () => {
  it('an election seen once opens and takes a vote with no network', async () => {
    const { q, route, server, store } = await mountApp();
    await waitFor(() => q('ballot-form'), 'the ballot');
    route.name = 'elections';
    await waitFor(() => q('election-link-demo'), 'the list');

    server.fetch = async () => { throw new TypeError('Failed to fetch'); }; // the train enters the tunnel
    route.name = 'election';
    await waitFor(() => q('election-offline'), 'the offline notice');
    q('option-blue').click();
    q('ballot-form').dispatchEvent(new Event('submit'));
    await waitFor(() => q('vote-state'), 'the vote');
    expect(q('vote-state').textContent).toBe('Queued');
    expect(store.state.votes[0]).toMatchObject({ status: 'queued', choice: 'blue', signature: null });

    route.name = 'elections';
    await waitFor(() => q('elections-offline'), 'the kept list');
    expect(q('election-link-demo').textContent).toBe('Demo election');
  });

  it('a vote cast offline is told to the other tabs at once (the engine, which sends nothing, tells no one)', async () => {
    const notify = vi.fn();
    const { q } = await mountApp({ notify });
    await waitFor(() => q('ballot-form'), 'the ballot');
    q('option-red').click();
    q('ballot-form').dispatchEvent(new Event('submit'));
    await waitFor(() => q('vote-state'), 'the vote');
    expect(q('vote-state').textContent).toBe('Queued');
    expect(notify).toHaveBeenCalledTimes(1);
  });
});

describe('keyboard', () => {
  it('after following a link, the focus goes to the new page\'s heading once the election is shown', async () => {
    const { q, route } = await mountApp();
    await waitFor(() => q('ballot-form'), 'the ballot');
    route.name = 'elections';
    await waitFor(() => q('election-link-demo'), 'the list');
    q('election-link-demo').focus();
    route.name = 'election'; // the election is read from IndexedDB first: its heading comes a moment later
    await waitFor(() => document.activeElement === q('election-title'), 'the focus on the election heading');
  });

  it('the skip link moves the focus to the page\'s heading and leaves the route alone', async () => {
    const { q, route } = await mountApp();
    await waitFor(() => q('ballot-form'), 'the ballot');
    const hash = window.location.hash;
    document.querySelector('.skip-link').click();
    expect(window.location.hash).toBe(hash);
    expect(route.name).toBe('election');
    expect(document.activeElement).toBe(q('election-title'));
  });
});

describe('status region', () => {
  it('while a vote keeps retrying, the region does not go on showing "transmitting" under a Queued card', async () => {
    const { q, db, store } = await mountApp();
    await waitFor(() => q('ballot-form'), 'the ballot');
    q('option-red').click();
    q('ballot-form').dispatchEvent(new Event('submit'));
    await waitFor(() => q('vote-state'), 'the vote');
    const [item] = await db.outbox.toArray();
    const step = async (change) => {
      await db.outbox.update(item.id, change);
      await store.reload();
    };
    await step({ status: 'sending', retries: 1 });
    await waitFor(() => q('status-region').textContent.includes('Vote transmitting'), 'the transmitting announcement');
    await step({ status: 'queued', retries: 2, nextAttemptAt: Date.now() + 60_000,
      lastError: { kind: 'problem', slug: 'unavailable', title: 'Unavailable', retryable: true } });
    await waitFor(() => q('vote-state')?.textContent === 'Queued', 'Queued again');
    expect(q('status-region').textContent).toBe('');
  });
});
