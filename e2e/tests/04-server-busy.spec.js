// Scenario 4: the server answers 503 with Retry-After a few times; the client retries with backoff, shows the retry
// count, and ends Confirmed.
import { createElection, expectStored, voteCode } from '../support/api.js';
import { expect, expectVoteState, openElection, readOutbox, test, waitForOfflineReady } from '../support/fixtures.js';

const REFUSALS = 3;
const RETRY_AFTER_S = 1;

test('503 with Retry-After: retried with backoff, retry count shown, then Confirmed', async ({ page, context, look }) => {
  const election = await createElection({ title: 'E2E server busy' });

  // The context's route sees the page's requests and the service worker's alike: whoever sends, the first
  // REFUSALS attempts get the edge's overload answer.
  const attempts = [];
  await context.route('**/api/v1/elections/*/votes', async (route) => {
    attempts.push({ at: Date.now(), fromWorker: Boolean(route.request().serviceWorker()),
      idempotencyKey: route.request().headers()['idempotency-key'], body: route.request().postData() });
    if (attempts.length > REFUSALS) {
      await route.fallback();
      return;
    }
    await route.fulfill({
      status: 503,
      headers: { 'content-type': 'application/problem+json', 'retry-after': String(RETRY_AFTER_S) },
      body: JSON.stringify({
        type: 'https://voting.invalid/problems/unavailable', title: 'The service is temporarily unavailable',
        status: 503, detail: 'Too much load right now; send the same request again later.', retryable: true,
      }),
    });
  });

  await openElection(page, election);
  await page.getByTestId('option-red').check();
  await page.getByTestId('cast-vote').click();
  const card = page.getByTestId('vote-card');

  // Each refusal shows: back to Queued, the retry count, what went wrong, and when the next try is.
  await expect(card.getByTestId('vote-retries')).toHaveText('1');
  await expect(card).toHaveAttribute('data-status', /queued|sending/);
  await expect(card.getByTestId('vote-retries')).toHaveText('2');
  await expectVoteState(card, 'queued');
  await expect(card.getByTestId('vote-state-detail'))
    .toContainText('Stored on this device. Last try: The server is busy right now.');
  await expect(card).not.toContainText('Too much load'); // the problem's detail is for developers, not voters
  // Round trips of a vote already retrying are not spoken again, and the region does not go on showing old words.
  await expect(page.getByTestId('status-region')).not.toContainText('transmitting');
  await look.screen(page, 'queued after a 503, retrying');
  await expect(card.getByTestId('vote-retries')).toHaveText(String(REFUSALS));

  await expectVoteState(card, 'confirmed', { timeout: 20_000 });
  await expect(card.getByTestId('vote-retries')).toHaveText(String(REFUSALS));
  await expect(page.getByTestId('status-region')).toContainText('Vote confirmed (E2E server busy).');
  await look.screen(page, 'confirmed after retries');

  // Backoff: never sooner than Retry-After after a refusal; every attempt the same vote with the same key.
  expect(attempts).toHaveLength(REFUSALS + 1);
  for (let i = 1; i < attempts.length; i++) {
    expect(attempts[i].at - attempts[i - 1].at, `wait before attempt ${i + 1}`).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000);
  }
  expect(new Set(attempts.map((a) => a.idempotencyKey)).size, 'one Idempotency-Key').toBe(1);
  expect(new Set(attempts.map((a) => a.body)).size, 'the same bytes every time').toBe(1);

  const [item] = await readOutbox(page);
  expect(item).toMatchObject({ status: 'confirmed', retries: REFUSALS, lastError: null });
  expect(`"${item.idempotencyKey}"`).toBe(attempts[0].idempotencyKey);
  await expect(card.getByTestId('receipt-vote-code')).toHaveText(voteCode(item.receipt.voteHash));
  await expectStored(election, [{ receipt: item.receipt, choice: 'red' }]);
});

test('503 to the service worker: the page still retries at the backoff time, not when the worker\'s lease ends', async ({ page, context, look }) => {
  const election = await createElection({ title: 'E2E worker got the 503' });
  // This page starts out believing it is offline, so the first attempt is the service worker's (Background Sync);
  // it learns it is online the moment that attempt is made.
  await page.addInitScript(() => {
    window.__seemsOffline = true;
    Object.defineProperty(Navigator.prototype, 'onLine', { configurable: true, get: () => !window.__seemsOffline });
  });
  const attempts = [];
  await context.route('**/api/v1/elections/*/votes', async (route) => {
    attempts.push({ at: Date.now(), fromWorker: Boolean(route.request().serviceWorker()) });
    if (attempts.length > 1) {
      await route.fallback();
      return;
    }
    await page.evaluate(() => { window.__seemsOffline = false; });
    await route.fulfill({
      status: 503,
      headers: { 'content-type': 'application/problem+json', 'retry-after': String(RETRY_AFTER_S) },
      body: JSON.stringify({ type: 'https://voting.invalid/problems/unavailable',
        title: 'The service is temporarily unavailable', status: 503, detail: null, retryable: true }),
    });
  });

  await openElection(page, election);
  await waitForOfflineReady(page);
  await page.getByTestId('option-red').check();
  await page.getByTestId('cast-vote').click();
  const card = page.getByTestId('vote-card');
  await expect(card.getByTestId('vote-retries')).toHaveText('1');
  await expectVoteState(card, 'confirmed');
  await look.snap(page, 'confirmed after the worker\'s 503');

  expect(attempts.map((a) => (a.fromWorker ? 'worker' : 'page')), 'who sent').toEqual(['worker', 'page']);
  const gap = attempts[1].at - attempts[0].at;
  expect(gap, 'not sooner than Retry-After').toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000);
  expect(gap, 'at the backoff time (at most Retry-After + 1 s here), not the 60 s lease').toBeLessThan(5_000);
  const [item] = await readOutbox(page);
  expect(item).toMatchObject({ status: 'confirmed', retries: 1 });
  await expectStored(election, [{ receipt: item.receipt, choice: 'red' }]);
});
