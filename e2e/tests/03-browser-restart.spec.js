// Scenario 3: the browser is closed while a vote is Queued; the same profile opened later delivers it.
import { rmSync } from 'node:fs';
import { createElection, expectNothingStored, expectStored, voteCode } from '../support/api.js';
import {
  expect, expectVoteState, launchProfile, openElection, readOutbox, test, waitForOfflineReady,
} from '../support/fixtures.js';

test('a vote queued when the browser closed is delivered when the same profile opens again', async ({ look }, testInfo) => {
  const election = await createElection({ title: 'E2E browser restart' });
  const profile = testInfo.outputPath('profile');

  // First session: the election is seen online, then the vote is cast offline and the browser closed.
  let context = await launchProfile(profile);
  try {
    const page = context.pages()[0] ?? await context.newPage();
    await openElection(page, election);
    await waitForOfflineReady(page);
    await context.setOffline(true);
    await page.getByTestId('option-red').check();
    await page.getByTestId('cast-vote').click();
    await expectVoteState(page.getByTestId('vote-card'), 'queued');
    await look.snap(page, 'queued, about to close the browser');
    const [queued] = await readOutbox(page);
    expect(queued).toMatchObject({ status: 'queued', choice: 'red', retries: 0 });
    testInfo.annotations.push({ type: 'vote', description: queued.voteId });
  } finally {
    await context.close();
  }
  await expectNothingStored(election);

  // Later: the same profile, online. The voter opens the app; the device sends what it kept.
  context = await launchProfile(profile);
  try {
    const page = context.pages()[0] ?? await context.newPage();
    await page.goto('/#/my-votes');
    const mine = page.getByTestId('my-vote');
    await expect(mine).toHaveCount(1);
    await expect(mine).toHaveAttribute('data-status', 'confirmed');
    await expectVoteState(mine.getByTestId('vote-card'), 'confirmed');
    const [item] = await readOutbox(page);
    await expect(mine.getByTestId('receipt-vote-code')).toHaveText(voteCode(item.receipt.voteHash));
    await look.screen(page, 'my votes after the restart, confirmed');
    await expectStored(election, [{ receipt: item.receipt, choice: 'red' }]);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
