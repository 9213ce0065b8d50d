// Scenario 2: offline, a vote is Queued and kept in IndexedDB; a reload while offline still starts the app with the
// vote Queued; back online it is Confirmed, and the server accepted exactly one vote.
import { createElection, expectNothingStored, expectStored, voteCode } from '../support/api.js';
import {
  countRequests, expect, expectVoteState, readOutbox, test, VOTES_PATH, waitForOfflineReady,
} from '../support/fixtures.js';

test('offline vote: Queued in IndexedDB, survives an offline reload, Confirmed once back online', async ({ page, context, look }) => {
  const election = await createElection({ title: 'E2E offline vote' });
  const posts = countRequests(context, 'POST', VOTES_PATH);

  // Seen once online, as a voter comes to it: the service worker keeps the app, IndexedDB the list and the election.
  await page.goto('/');
  await page.getByTestId(`election-link-${election.id}`).click();
  await expect(page.getByTestId('election-title')).toHaveText(election.title);
  await expect(page.getByTestId('election')).toHaveAttribute('data-status', 'open');
  await waitForOfflineReady(page);

  await context.setOffline(true);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-online', 'false');
  await expect(page.getByTestId('connection')).toContainText('Offline');
  await expect(page.getByTestId('status-region')).toContainText('You are offline.');

  await page.getByTestId('option-blue').check();
  await page.getByTestId('cast-vote').click();
  const card = page.getByTestId('vote-card');
  await expectVoteState(card, 'queued');
  await expect(card.getByTestId('vote-state-detail')).toHaveText('Stored on this device; it will be sent as soon as possible.');
  await expect(card.getByTestId('receipt')).toHaveCount(0);
  await look.screen(page, 'queued offline');

  const [stored, ...others] = await readOutbox(page);
  expect(others, 'one vote in the outbox').toHaveLength(0);
  expect(stored).toMatchObject({ electionId: election.id, choice: 'blue', status: 'queued', retries: 0, receipt: null });

  // A reload while offline: the service worker serves the app, IndexedDB the election and the vote.
  await page.reload();
  await expect(page.getByTestId('election-title')).toHaveText(election.title);
  await expect(page.getByTestId('election-offline')).toBeVisible();
  await expect(page.getByTestId('connection')).toHaveAttribute('data-online', 'false');
  await expectVoteState(card, 'queued');
  await expect(card).toHaveAttribute('data-vote-id', stored.voteId);
  await expect(page.getByTestId('ballot-form')).toBeHidden();
  await look.screen(page, 'reloaded offline, still queued');
  expect(await readOutbox(page)).toEqual([expect.objectContaining({ voteId: stored.voteId, status: 'queued' })]);

  await page.getByTestId('nav-my-votes').click();
  await expect(page.getByTestId('my-vote')).toHaveAttribute('data-status', 'queued');
  await look.screen(page, 'my votes, queued offline');
  await page.getByTestId('nav-elections').click();
  await expect(page.getByTestId('elections-offline')).toBeVisible();
  await expect(page.getByTestId(`election-my-vote-${election.id}`)).toContainText('Your vote: Queued');
  await look.screen(page, 'elections list offline');

  await expectNothingStored(election);
  expect(posts, 'nothing sent while offline').toHaveLength(0);

  await page.getByTestId(`election-link-${election.id}`).click();
  await context.setOffline(false);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-online', 'true');
  await expectVoteState(card, 'confirmed');
  await expect(card.getByTestId('vote-retries')).toHaveText('0');

  const [confirmed] = await readOutbox(page);
  expect(confirmed.voteId).toBe(stored.voteId);
  await expect(card.getByTestId('receipt-vote-code')).toHaveText(voteCode(confirmed.receipt.voteHash));
  await expectStored(election, [{ receipt: confirmed.receipt, choice: 'blue' }]);
  expect(posts, 'vote requests sent (page and service worker together)').toHaveLength(1);
  await look.screen(page, 'confirmed after coming back online');
});
