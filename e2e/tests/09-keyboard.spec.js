// Scenario 9: keyboard only. From the elections list to a confirmed vote without a mouse: Tab, arrows, Enter.
import { createElection, expectStored } from '../support/api.js';
import { expect, expectVoteState, readOutbox, test } from '../support/fixtures.js';

// What has the focus: its data-testid (or tag and text), and whether it shows a visible focus indicator.
const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  const style = el ? getComputedStyle(el) : null;
  return {
    testid: el?.getAttribute('data-testid') ?? null,
    tag: el?.tagName.toLowerCase() ?? null,
    text: el?.textContent.trim().slice(0, 60) ?? '',
    focusVisible: Boolean(el?.matches(':focus-visible')),
    outline: style ? `${style.outlineStyle} ${style.outlineWidth}` : '',
  };
});

// Presses Tab (or Shift+Tab) until the element with this data-testid has the focus: a bounded walk through the
// page's tab order.
async function tabTo(page, testid, maxPresses = 300, key = 'Tab') {
  const walked = [];
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press(key);
    const now = await focused(page);
    walked.push(now.testid ?? `${now.tag}:${now.text}`);
    if (now.testid === testid) return now;
  }
  throw new Error(`Tab never reached ${testid}; the last stops were: ${walked.slice(-40).join(' | ')}`);
}

test('keyboard only: find the election, choose with the arrow keys, cast with Enter', async ({ page, look }) => {
  const election = await createElection({ title: 'E2E keyboard vote' });
  // The mouse is not used in this test: any click would be a mistake, so make one fail loudly.
  await page.addInitScript(() => {
    window.addEventListener('mousedown', () => { window.__mouseUsed = true; }, true);
  });
  await page.goto('/');
  await expect(page.getByTestId(`election-link-${election.id}`)).toBeVisible();

  // The first Tab reaches the skip link, which shows itself when focused, and leads to the page's heading
  // without leaving the page.
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await look.snap(page, 'skip link focused');
  const here = page.url();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Elections' })).toBeFocused();
  expect(page.url()).toBe(here);

  const link = await tabTo(page, `election-link-${election.id}`);
  expect(link.focusVisible, 'the focused link shows a focus indicator').toBe(true);
  expect(link.outline).toMatch(/^solid/);
  await page.keyboard.press('Enter');

  // The election page puts the focus on its heading, so keyboard and screen reader users start there.
  await expect(page.getByTestId('election-title')).toHaveText(election.title);
  await expect(page.getByTestId('election-title')).toBeFocused();

  // Tab enters the radio group on its first option; the arrow keys move the choice.
  const first = await tabTo(page, 'option-red');
  expect(first.focusVisible).toBe(true);
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('option-green')).toBeFocused();
  await expect(page.getByTestId('option-green')).toBeChecked();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('option-blue')).toBeChecked();
  await page.keyboard.press('ArrowUp');
  await expect(page.getByTestId('option-green')).toBeChecked();
  await look.snap(page, 'option chosen with the arrow keys');

  const cast = await tabTo(page, 'cast-vote', 5);
  expect(cast.focusVisible, 'the focused button shows a focus indicator').toBe(true);
  await look.snap(page, 'cast vote focused');
  await page.keyboard.press('Enter');

  const card = page.getByTestId('vote-card');
  await expectVoteState(card, 'confirmed');
  await expect(card.getByTestId('vote-choice')).toHaveText('Green');
  // After casting, the focus moves to the vote's heading, where its state is read out.
  await expect(card.getByRole('heading', { name: 'Your vote' })).toBeFocused();
  await look.screen(page, 'confirmed by keyboard');

  // The skip link here too keeps to this page; then back up the tab order to My votes.
  await tabTo(page, 'nav-my-votes', 10, 'Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('election-title')).toBeFocused();
  await expect(page.getByTestId('vote-card')).toBeVisible();
  await tabTo(page, 'nav-my-votes', 10, 'Shift+Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('my-vote')).toHaveAttribute('data-status', 'confirmed');
  await expect(page.getByRole('heading', { level: 1, name: 'My votes' })).toBeFocused();

  expect(await page.evaluate(() => window.__mouseUsed ?? false), 'the mouse was not used').toBe(false);
  const [item] = await readOutbox(page);
  await expectStored(election, [{ receipt: item.receipt, choice: 'green' }]);
});
