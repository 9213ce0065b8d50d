// Scenario 6: a second page watching the tally sees a vote within 2 s over SSE; with the stream blocked it falls
// back to polling and still sees it.
import { createElection, expectStored } from '../support/api.js';
import { expect, expectVoteState, openElection, readOutbox, test } from '../support/fixtures.js';

async function vote(device, election, choice) {
  const page = await device.newPage();
  await openElection(page, election);
  await page.getByTestId(`option-${choice}`).check();
  await page.getByTestId('cast-vote').click();
  await expectVoteState(page.getByTestId('vote-card'), 'confirmed');
  const [item] = await readOutbox(page);
  return { page, receipt: item.receipt, choice, confirmedAt: Date.now() };
}

test('a watching page sees the vote within 2 s over SSE', async ({ page, newDevice, look }, testInfo) => {
  const election = await createElection({ title: 'E2E live tally' });
  const watcher = page;
  await openElection(watcher, election);
  const tally = watcher.getByTestId('tally');
  await expect(tally).toHaveAttribute('data-mode', 'live');
  await expect(watcher.getByTestId('tally-mode')).toHaveText('Live: updates as votes are counted.');
  await expect(watcher.getByTestId('tally-total')).toHaveText('0');

  const cast = await vote(await newDevice(), election, 'blue');
  await expect(watcher.getByTestId('tally-total')).toHaveText('1', { timeout: 2_000 });
  const seenAfterMs = Date.now() - cast.confirmedAt;
  testInfo.annotations.push({ type: 'latency', description: `the watcher saw the vote ${seenAfterMs} ms after the voter saw Confirmed` });
  await expect(watcher.getByTestId('tally-count-blue')).toHaveText('1');
  await expect(tally).toHaveAttribute('data-mode', 'live');
  await expect(tally).toHaveAttribute('data-position', '1');
  await look.screen(watcher, 'watcher sees the vote live');
  await expectStored(election, [cast]);
});

test('with the stream blocked the watching page polls, and still sees the vote', async ({ page, context, newDevice, look }) => {
  const election = await createElection({ title: 'E2E tally polling' });

  // A proxy that will not carry event streams: every attempt at the stream fails.
  const streamAttempts = [];
  await context.route('**/api/v1/elections/*/tally/stream*', (route) => {
    streamAttempts.push(Date.now());
    return route.abort('connectionfailed');
  });
  const polls = [];
  context.on('response', (response) => {
    if (new URL(response.url()).pathname === `/api/v1/elections/${election.id}/tally`) polls.push(response.status());
  });

  const watcher = page;
  await openElection(watcher, election);
  const tally = watcher.getByTestId('tally');
  await expect(tally).toHaveAttribute('data-mode', 'polling', { timeout: 20_000 });
  await expect(watcher.getByTestId('tally-mode')).toHaveText('Updating every few seconds.');
  await expect(watcher.getByTestId('tally-total')).toHaveText('0');
  expect(streamAttempts.length, 'stream attempts before polling').toBeGreaterThanOrEqual(1);
  await look.screen(watcher, 'tally polling');

  const cast = await vote(await newDevice(), election, 'red');
  // One poll interval (5–6 s) and the answer's time.
  await expect(watcher.getByTestId('tally-total')).toHaveText('1', { timeout: 8_000 });
  await expect(watcher.getByTestId('tally-count-red')).toHaveText('1');
  await expect(tally).toHaveAttribute('data-mode', 'polling');
  expect(polls.filter((status) => status === 200).length, 'tally polls answered 200').toBeGreaterThanOrEqual(2);
  await look.screen(watcher, 'tally polling sees the vote');
  await expectStored(election, [cast]);
});
