// Scenario 8: a `credential` election. An admin makes credentials through the API; a voter votes with one; another
// device reusing it fails clearly (and can go on with a credential of its own).
import { createCredentials, createElection, expectStored, stats } from '../support/api.js';
import { expect, expectVoteState, openElection, readOutbox, test } from '../support/fixtures.js';

test('credential election: a credential votes once; reusing it on another device fails clearly', async ({ page, newDevice, look }) => {
  const election = await createElection({ title: 'E2E credential election', eligibility: 'credential',
    options: [{ id: 'yes', label: 'Yes' }, { id: 'no', label: 'No' }] });
  const [first, second] = await createCredentials(election.id, 2);

  // Voter 1: the ballot asks for the credential, and says so when it is missing.
  await openElection(page, election);
  const input = page.getByTestId('credential-input');
  await expect(input).toBeVisible();
  await expect(page.getByLabel('Voting credential')).toBeVisible();
  await page.getByTestId('option-yes').check();
  await page.getByTestId('cast-vote').click();
  await expect(page.getByTestId('ballot-error')).toHaveText('Enter your voting credential.');
  await expect(page.getByTestId('vote-card')).toHaveCount(0);
  await look.screen(page, 'credential missing');

  await input.fill(first);
  await page.getByTestId('cast-vote').click();
  await expectVoteState(page.getByTestId('vote-card'), 'confirmed');
  await look.screen(page, 'voted with a credential');
  const [voter1] = await readOutbox(page);

  // Voter 2, another device, types the same credential.
  const other = await (await newDevice()).newPage();
  await openElection(other, election);
  await other.getByTestId('option-no').check();
  await other.getByTestId('credential-input').fill(first);
  await other.getByTestId('cast-vote').click();
  const card = other.getByTestId('vote-card');
  await expectVoteState(card, 'failed');
  await expect(card.getByTestId('vote-error')).toHaveText('This voting credential has already been used');
  await expect(card.getByTestId('vote-state-detail')).toHaveText('This voting credential has already been used. You can retry.');
  await expect(other.getByTestId('status-region')).toContainText('Vote failed (E2E credential election): This voting credential has already been used.');
  // Not retried by itself: settled, with a way forward that needs the voter.
  const [refused] = await readOutbox(other);
  expect(refused).toMatchObject({ status: 'failed', retries: 1, nextAttemptAt: null, receipt: null,
    lastError: expect.objectContaining({ slug: 'credential-used', status: 409 }) });
  await expect(card.getByTestId('retry-credential')).toBeVisible();
  await expect(card.getByLabel('Voting credential')).toBeVisible();
  await look.screen(other, 'credential already used');

  // Voter 2 enters a credential of their own and retries the same vote.
  await card.getByTestId('retry-credential').fill(second);
  await card.getByTestId('retry-vote').click();
  await expectVoteState(card, 'confirmed');
  await expect(card.getByTestId('vote-retries')).toHaveText('1');
  const [voter2] = await readOutbox(other);
  expect(voter2.voteId, 'the same vote, retried').toBe(refused.voteId);
  await look.screen(other, 'confirmed with its own credential');

  await expectStored(election, [{ receipt: voter1.receipt, choice: 'yes' }, { receipt: voter2.receipt, choice: 'no' }]);
  await expect.poll(async () => (await stats(election.id)).tokensIssued, { message: 'ballot tokens issued' }).toBe(2);
});
