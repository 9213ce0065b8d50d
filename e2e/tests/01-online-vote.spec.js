// Scenario 1: an online vote goes Transmitting → Confirmed; its receipt verifies; the tally counts it once.
import { createElection, expectStored, voteCode } from '../support/api.js';
import {
  countRequests, expect, expectVoteState, openElection, readOutbox, stateHistory, test, VOTES_PATH,
} from '../support/fixtures.js';

test('online vote: Transmitting, then Confirmed with a verified receipt, counted once', async ({ page, context, look }) => {
  const election = await createElection({ title: 'E2E online vote' });
  const posts = countRequests(context, 'POST', VOTES_PATH);

  // The vote's request is held until the test has seen "Transmitting", so that state is asserted, not guessed.
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  let held;
  const holding = new Promise((resolve) => { held = resolve; });
  await context.route('**/api/v1/elections/*/votes', async (route) => {
    held();
    await released;
    await route.fallback();
  });

  await openElection(page, election);
  await expect(page.getByTestId('tally')).toHaveAttribute('data-mode', 'live');
  await expect(page.getByTestId('tally-total')).toHaveText('0');
  await look.screen(page, 'ballot');

  await page.getByTestId('option-green').check();
  await page.getByTestId('cast-vote').click();

  const card = page.getByTestId('vote-card');
  await expectVoteState(card, 'sending');
  await holding;
  await expect(card.getByTestId('vote-state-detail')).toHaveText('Sending to the server now.');
  await expect(page.getByTestId('ballot-form')).toBeHidden();
  await look.screen(page, 'transmitting');
  release();

  await expectVoteState(card, 'confirmed');
  await expect(card.getByTestId('vote-choice')).toHaveText('Green');
  await expect(card.getByTestId('vote-retries')).toHaveText('0');
  await expect(page.getByTestId('status-region')).toContainText('Vote confirmed (E2E online vote).');

  const [item] = await readOutbox(page);
  expect(item.status).toBe('confirmed');
  const { receipt } = item;
  await expect(card.getByTestId('receipt-ballot-id')).toHaveText(receipt.ballotId);
  await expect(card.getByTestId('receipt-vote-code')).toHaveText(voteCode(receipt.voteHash));
  await expect(card.getByTestId('receipt-vote-hash')).toHaveText(receipt.voteHash);
  await expect(page.getByTestId('status-region')).toContainText(`Vote code ${voteCode(receipt.voteHash)}.`);

  const history = await stateHistory(page, item.voteId);
  expect(history.slice(history.indexOf('sending')), `states shown: ${history.join(' → ')}`).toEqual(['sending', 'confirmed']);

  await expectStored(election, [{ receipt, choice: 'green' }]);
  expect(posts, 'vote requests sent').toHaveLength(1);

  // The live tally on the voter's own page moves.
  await expect(page.getByTestId('tally-count-green')).toHaveText('1');
  await expect(page.getByTestId('tally-total')).toHaveText('1');
  await look.screen(page, 'confirmed');

  await page.getByTestId('nav-my-votes').click();
  const mine = page.getByTestId('my-vote');
  await expect(mine).toHaveCount(1);
  await expect(mine).toHaveAttribute('data-status', 'confirmed');
  await expect(mine.getByTestId('receipt-vote-code')).toHaveText(voteCode(receipt.voteHash));
  await look.screen(page, 'my votes, confirmed');
});
