// Scenario 7: a vote in an election that closed: a clear message, the vote Failed, and not retried forever.
import { closeElection, createElection, expectNothingStored } from '../support/api.js';
import {
  countRequests, expect, expectVoteState, openElection, readOutbox, test, waitForOfflineReady,
} from '../support/fixtures.js';

test('a vote cast after the election closed fails clearly and is not retried', async ({ page, context, look }) => {
  const election = await createElection({ title: 'E2E closing election' });
  const sent = countRequests(context, 'POST', /^\/api\/v1\/elections\/[^/]+\/(votes|ballot-tokens)$/);

  // The voter opened the ballot while the election was open; it closes before they cast.
  await openElection(page, election);
  await waitForOfflineReady(page);
  await closeElection(election.id);
  await page.getByTestId('option-green').check();
  await page.getByTestId('cast-vote').click();

  const card = page.getByTestId('vote-card');
  await expectVoteState(card, 'failed');
  // Words for the voter, by the problem's type: not the server's detail, which names the election's id.
  await expect(card.getByTestId('vote-error')).toHaveText('Voting in this election has closed, so this vote was not counted');
  await expect(card.getByTestId('vote-state-detail')).toHaveText('Voting in this election has closed, so this vote was not counted.');
  await expect(page.getByTestId('election')).not.toContainText(election.id);
  await expect(card.getByTestId('retry-vote')).toHaveCount(0);
  await expect(card.getByTestId('vote-retries')).toHaveText('1');
  await expect(page.getByTestId('status-region')).toContainText('Vote failed (E2E closing election): Voting in this election has closed, so this vote was not counted.');
  // The page no longer shows the election as open, nor invites a vote that cannot count.
  await expect(page.getByTestId('election-status')).toHaveText('Status: Closed');
  await expect(page.getByTestId('ballot-form')).toHaveCount(0);
  await look.screen(page, 'failed: the election closed');

  // Settled for good: nothing is due, so neither the page's engine nor the worker's will send it again.
  const [item] = await readOutbox(page);
  expect(item).toMatchObject({ status: 'failed', nextAttemptAt: null, retries: 1,
    lastError: expect.objectContaining({ slug: 'election-closed', retryable: false }) });
  const attempts = sent.length;
  expect(attempts, 'requests for this vote').toBe(1);

  // A reload (the engine's start-up pass) and a nudge to the service worker change nothing.
  await page.reload();
  await expect(page.getByTestId('election')).toHaveAttribute('data-status', 'closed');
  await expect(page.getByTestId('election-status')).toHaveText('Status: Closed');
  await expectVoteState(card, 'failed');
  await page.evaluate(() => navigator.serviceWorker.controller.postMessage({ type: 'voting-sync' }));
  await expect(page.getByTestId('tally')).toHaveAttribute('data-mode', /live|polling/);
  // A closed election's results are final, not "live", whichever way they arrive.
  await expect(page.getByTestId('tally-mode')).toHaveText('Final results: voting has closed.');
  await expect(page.getByTestId('tally')).not.toContainText(/live/i);
  await look.screen(page, 'failed vote after a reload, election closed');
  expect(await readOutbox(page)).toEqual([expect.objectContaining({ status: 'failed', retries: 1, nextAttemptAt: null })]);
  expect(sent.length, 'requests after the reload').toBe(attempts);
  await expectNothingStored(election);
});

test('a closed election says so and offers no ballot', async ({ page, look }) => {
  const election = await createElection({ title: 'E2E closed election' });
  await closeElection(election.id);

  await page.goto('/');
  const other = page.getByTestId('other-election-list').locator(`[data-election-id="${election.id}"]`);
  await expect(other).toContainText('Closed');
  await look.screen(page, 'elections list with a closed election');

  await page.getByTestId(`election-link-${election.id}`).click();
  await expect(page.getByTestId('election-title')).toHaveText(election.title);
  await expect(page.getByTestId('ballot-closed')).toHaveText('Voting has closed.');
  await expect(page.getByTestId('ballot-form')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Final results', exact: true })).toBeVisible();
  await expect(page.getByTestId('tally-total')).toHaveText('0');
  await expect(page.getByTestId('tally-mode')).toHaveText('Final results: voting has closed.');
  await look.screen(page, 'closed election');
});
