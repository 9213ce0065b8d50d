// Scenario 10: axe-core (wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa) finds no violations on any screen in any
// state. The voting states themselves (Queued, Transmitting, Confirmed, Failed, retrying, offline, credential
// prompts, live and polling tallies, closed elections) are checked where scenarios 1–9 reach them (look.screen);
// this file covers the screens and states they do not.
import { board, call, createElection, expectStored, receiptVerifies, tally } from '../support/api.js';
import { expect, expectVoteState, openElection, readOutbox, test, waitForOfflineReady } from '../support/fixtures.js';

test('elections list, and My votes with no votes', async ({ page, look }) => {
  const open = await createElection({ title: 'E2E list: open election' });
  const draft = await createElection({ title: 'E2E list: draft election', open: false });

  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Elections' })).toBeVisible();
  await expect(page.getByTestId('election-list').getByTestId(`election-link-${open.id}`)).toHaveText(open.title);
  await expect(page.getByTestId('other-election-list').locator(`[data-election-id="${draft.id}"]`)).toContainText('Not open yet');
  await expect(page.getByTestId('nav-elections')).toHaveAttribute('aria-current', 'page');
  await look.screen(page, 'elections list');

  await page.getByTestId('nav-my-votes').click();
  await expect(page.getByTestId('my-votes-empty')).toHaveText('This device holds no votes yet.');
  await expect(page.getByTestId('nav-my-votes')).toHaveAttribute('aria-current', 'page');
  await look.screen(page, 'my votes, empty');

  await page.getByTestId('nav-elections').click();
  await page.getByTestId(`election-link-${draft.id}`).click();
  await expect(page.getByTestId('ballot-closed')).toHaveText('Voting has not opened yet.');
  await expect(page.getByTestId('ballot-form')).toHaveCount(0);
  await look.screen(page, 'election not open yet');
});

test('ballot: a choice missing, then a vote with live results hidden', async ({ page, look }) => {
  const election = await createElection({ title: 'E2E hidden results', liveResults: false });
  await openElection(page, election);
  await expect(page.getByTestId('ballot-form')).toBeVisible();
  await expect(page.getByTestId('tally')).toHaveCount(0); // no results until the election closes, and it says so
  await expect(page.getByTestId('results-hidden').getByRole('heading', { name: 'Results' })).toBeVisible();
  await expect(page.getByTestId('results-hidden'))
    .toContainText('This election does not show results while voting is open. They will be published here when voting closes.');
  await look.screen(page, 'ballot with results hidden');

  await page.getByTestId('cast-vote').click();
  await expect(page.getByTestId('ballot-error')).toHaveText('Choose an option first.');
  await expect(page.getByTestId('option-red')).toBeFocused();
  await expect(page.getByTestId('status-region')).toHaveText('Choose an option first.');
  await look.screen(page, 'ballot error: no choice');

  await page.getByTestId('option-red').check();
  await page.getByTestId('cast-vote').click();
  await expectVoteState(page.getByTestId('vote-card'), 'confirmed');
  await expect(page.getByTestId('results-hidden')).toContainText('They will be published here when voting closes.');
  await look.screen(page, 'confirmed, results hidden');
});

test('an election that does not exist, and screens this device has not seen while offline', async ({ page, context, look }) => {
  await page.goto('/#/elections/no-such-election');
  await expect(page.getByTestId('election-error')).toHaveText('There is no such election.');
  await look.screen(page, 'no such election');

  const election = await createElection({ title: 'E2E never seen' });
  await page.goto('/#/my-votes');
  await expect(page.getByRole('heading', { level: 1, name: 'My votes' })).toBeVisible();
  await waitForOfflineReady(page);
  await context.setOffline(true);
  await page.goto(`/#/elections/${election.id}`);
  await expect(page.getByTestId('election-error'))
    .toHaveText('You are offline and this device has not seen this election yet. Open it once while online to vote offline later.');
  await expect(page.getByTestId('connection')).toHaveAttribute('data-online', 'false');
  await look.screen(page, 'offline, election not seen');

  await page.getByTestId('nav-elections').click();
  await expect(page.getByTestId('elections-error')).toHaveText('You are offline and this device has not seen the elections list yet.');
  await look.screen(page, 'offline, elections list not seen');
});

test('revoting: change my vote, and the older vote in My votes', async ({ page, look }) => {
  const election = await createElection({ title: 'E2E revoting', revoting: true });
  await openElection(page, election);
  await page.getByTestId('option-red').check();
  await page.getByTestId('cast-vote').click();
  const card = page.getByTestId('vote-card');
  await expectVoteState(card, 'confirmed');

  await page.getByTestId('change-vote').click();
  await expect(page.getByRole('group', { name: 'Choose your new vote' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Keep my vote' })).toBeVisible();
  await look.screen(page, 'changing a vote');
  await page.getByTestId('option-blue').check();
  await page.getByTestId('cast-vote').click();
  await expect(card.getByTestId('vote-choice')).toHaveText('Blue');
  await expectVoteState(card, 'confirmed');
  await expect(page.getByTestId('tally-count-blue')).toHaveText('1');
  await expect(page.getByTestId('tally-count-red')).toHaveText('0');
  await expect(card.getByTestId('vote-standing')).toHaveAttribute('data-standing', 'counts');
  await look.screen(page, 'changed vote confirmed');

  // Both votes are Confirmed; My votes says which one counts (the newest) and that the older was replaced.
  await page.getByTestId('nav-my-votes').click();
  await expect(page.getByTestId('my-vote')).toHaveCount(2);
  const mine = page.getByTestId('my-vote');
  await expect(mine.nth(0).getByTestId('vote-choice')).toHaveText('Blue');
  await expect(mine.nth(0).getByTestId('vote-standing')).toHaveText('This is the vote that counts: it is your newest confirmed vote.');
  await expect(mine.nth(1).getByTestId('vote-choice')).toHaveText('Red');
  await expect(mine.nth(1).getByTestId('vote-standing')).toHaveText('Replaced by your newer vote: it is stored, but only your newest vote counts.');
  await look.screen(page, 'my votes, two votes in one election');

  // One ballot, two accepted votes: the board has both lines, the tally counts only the newer.
  const items = await readOutbox(page);
  expect(items.map((i) => i.status)).toEqual(['confirmed', 'confirmed']);
  const [red, blue] = ['red', 'blue'].map((choice) => items.find((i) => i.choice === choice));
  expect(blue.receipt.ballotId).toBe(red.receipt.ballotId);
  for (const { receipt } of items) expect(await receiptVerifies(receipt, election)).toBe(true);
  await expect.poll(async () => (await tally(election.id)).position, { message: 'tally position' }).toBe(2);
  const counted = await tally(election.id);
  expect(counted.counts).toEqual({ red: 0, green: 0, blue: 1 });
  expect(counted.total).toBe(1);
  const lines = await board(election.id);
  expect(lines.map((line) => line.voteHash)).toEqual([red.receipt.voteHash, blue.receipt.voteHash]);
});

test('a phone-sized screen: ballot, Queued offline and Confirmed', async ({ newDevice, look }) => {
  const election = await createElection({ title: 'E2E phone screen' });
  const device = await newDevice({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await device.newPage();
  await openElection(page, election);
  await waitForOfflineReady(page);
  await look.screen(page, 'phone: ballot');
  // Nothing wider than the screen (WCAG 1.4.10 reflow at 320 CSS px and up).
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  await device.setOffline(true);
  await page.getByTestId('option-green').tap();
  await page.getByTestId('cast-vote').tap();
  const card = page.getByTestId('vote-card');
  await expectVoteState(card, 'queued');
  await look.screen(page, 'phone: queued offline');

  await device.setOffline(false);
  await expectVoteState(card, 'confirmed');
  await look.screen(page, 'phone: confirmed');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  const [item] = await readOutbox(page);
  await expectStored(election, [{ receipt: item.receipt, choice: 'green' }]);

  // WCAG 2.4.11 (focus not obscured, AA), which axe cannot check: with the status region showing at the bottom
  // of the screen, nothing the keyboard focuses is hidden behind it, down a list longer than the screen.
  const listed = (await call('GET', '/api/v1/elections')).json.filter((e) => e.status === 'open').length;
  for (let i = listed; i < 14; i++) await createElection({ title: `E2E filler election ${i + 1}` });
  await expect(page.getByTestId('status-region')).not.toBeEmpty();
  for (const nav of ['nav-elections', 'nav-my-votes']) {
    await page.getByTestId(nav).tap();
    await expect(page.locator('h1')).toBeFocused();
    await expect(page.getByTestId('status-region')).not.toBeEmpty();
    expect(await focusObscuredByStatus(page), `focus hidden under the status region (${nav})`).toEqual([]);
  }
});

// Tabs through the whole page; returns the focused elements that the fixed status region covered.
async function focusObscuredByStatus(page) {
  const obscured = [];
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const seen = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return { end: true };
      const box = el.getBoundingClientRect();
      const bar = document.querySelector('[data-testid="status-region"]').getBoundingClientRect();
      return { end: el.classList.contains('skip-link') && window.__tabbed, what: el.textContent.trim().slice(0, 40),
        hidden: bar.height > 0 && box.bottom > bar.top + 1, tabbed: (window.__tabbed = true) };
    });
    if (seen.end) break;
    if (seen.hidden) obscured.push(seen.what);
  }
  return obscured;
}
