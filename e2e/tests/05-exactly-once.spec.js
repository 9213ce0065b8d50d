// Scenario 5: a double click, two tabs, and the page and its service worker sending at the same moment: one vote is
// counted, and it is sent once.
import { createElection, expectStored, voteCode } from '../support/api.js';
import {
  countRequests, expect, expectVoteState, openElection, readOutbox, test, TOKENS_PATH, VOTES_PATH,
  waitForOfflineReady,
} from '../support/fixtures.js';

test('double click on Cast vote: one vote', async ({ page, context, look }) => {
  const election = await createElection({ title: 'E2E double click' });
  const posts = countRequests(context, 'POST', VOTES_PATH);
  await openElection(page, election);

  await page.getByTestId('option-green').check();
  await page.getByTestId('cast-vote').dblclick();

  const card = page.getByTestId('vote-card');
  await expectVoteState(card, 'confirmed');
  await expect(page.getByTestId('vote-card')).toHaveCount(1);
  await expect(page.getByTestId('ballot-error')).toHaveCount(0);
  await look.snap(page, 'confirmed after a double click');

  const items = await readOutbox(page);
  expect(items, 'votes in the outbox').toHaveLength(1);
  await expectStored(election, [{ receipt: items[0].receipt, choice: 'green' }]);
  expect(posts, 'vote requests sent').toHaveLength(1);
});

test('two tabs and the service worker all coming back online at once: one vote, sent once', async ({ page, context, look }) => {
  const election = await createElection({ title: 'E2E two tabs' });
  const posts = countRequests(context, 'POST', VOTES_PATH);
  const tokenRequests = countRequests(context, 'POST', TOKENS_PATH);

  const tabA = page;
  const tabB = await context.newPage();
  for (const tab of [tabA, tabB]) {
    await openElection(tab, election);
    await waitForOfflineReady(tab);
  }

  // Queued offline in tab A: tab B hears of it at once (shared IndexedDB, BroadcastChannel) and offers no ballot.
  await context.setOffline(true);
  await tabA.getByTestId('option-blue').check();
  await tabA.getByTestId('cast-vote').click();
  await expectVoteState(tabA.getByTestId('vote-card'), 'queued');
  const [queued] = await readOutbox(tabA);
  await expectVoteState(tabB.getByTestId('vote-card'), 'queued');
  await expect(tabB.getByTestId('vote-card')).toHaveAttribute('data-vote-id', queued.voteId);
  await expect(tabB.getByTestId('ballot-form')).toBeHidden();
  await look.snap(tabB, 'tab B shows the vote queued in tab A');

  // Back online: both tabs' engines start on 'online' (no jitter in tests), the worker's on Background Sync, and
  // the worker is also asked directly by each tab, all at the same moment.
  await context.setOffline(false);
  await Promise.all([tabA, tabB].map((tab) => tab.evaluate(() => {
    navigator.serviceWorker.controller.postMessage({ type: 'voting-sync' });
  })));

  for (const tab of [tabA, tabB]) await expectVoteState(tab.getByTestId('vote-card'), 'confirmed');
  const [item, ...more] = await readOutbox(tabA);
  expect(more, 'votes in the outbox').toHaveLength(0);
  for (const tab of [tabA, tabB]) {
    await expect(tab.getByTestId('receipt-vote-code')).toHaveText(voteCode(item.receipt.voteHash));
  }
  await look.snap(tabB, 'tab B confirmed');
  await expectStored(election, [{ receipt: item.receipt, choice: 'blue' }]);
  expect(posts, `vote requests sent (${posts.map((p) => (p.fromWorker ? 'worker' : 'page')).join(', ')})`).toHaveLength(1);
  expect(tokenRequests, 'ballot token requests sent').toHaveLength(1);
});

test('two tabs casting at the same moment: one vote, and both tabs show it', async ({ page, context, look }) => {
  const election = await createElection({ title: 'E2E two tabs at once' });
  const posts = countRequests(context, 'POST', VOTES_PATH);
  const tabA = page;
  const tabB = await context.newPage();
  for (const tab of [tabA, tabB]) await openElection(tab, election);

  await tabA.getByTestId('option-red').check();
  await tabB.getByTestId('option-green').check();
  // Both clicks happen in the pages at the same moment on the machine's clock. Playwright's own clicks wait for
  // actionability one after the other, and by the time tab B's ran, tab A's vote had already hidden B's ballot
  // (seen in CI: a 60 s timeout). Two evaluate calls that each clicked on arrival were not enough either: in a
  // clean-clone run tab A's vote had hidden B's ballot before B's call arrived.
  const at = Date.now() + 1000;
  const clicked = await Promise.all([tabA, tabB].map((tab) => tab.evaluate((clickAt) => new Promise((resolve) => {
    setTimeout(() => {
      const button = document.querySelector('[data-testid="cast-vote"]');
      button?.click();
      resolve(Boolean(button));
    }, clickAt - Date.now());
  }), at)));
  expect(clicked, 'Cast vote clicked in tab A, tab B').toEqual([true, true]);

  // Without revoting a device holds one vote: whichever tab stored its vote first wins, the other is refused
  // before anything is queued, and both tabs then show the one vote, confirmed.
  await expect.poll(async () => (await readOutbox(tabA)).map((i) => i.status).join(), { message: 'the outbox', timeout: 15_000 })
    .toBe('confirmed');
  const [item, ...more] = await readOutbox(tabA);
  expect(more, 'votes in the outbox').toHaveLength(0);
  for (const tab of [tabA, tabB]) {
    const card = tab.getByTestId('vote-card');
    await expect(card).toHaveCount(1);
    await expectVoteState(card, 'confirmed');
    await expect(card).toHaveAttribute('data-vote-id', item.voteId);
    await expect(card.getByTestId('receipt-vote-code')).toHaveText(voteCode(item.receipt.voteHash));
    await expect(tab.getByTestId('ballot-form')).toBeHidden();
  }
  await look.snap(tabA, 'tab A after both tabs cast');
  await look.snap(tabB, 'tab B after both tabs cast');
  await expectStored(election, [{ receipt: item.receipt, choice: item.choice }]);
  expect(posts, 'vote requests sent').toHaveLength(1);
});
