// Prepares N unique, validly signed votes for the intake benchmark (not timed): creates and opens an election
// through the admin API, gets one ballot token per voter, signs each vote with Web Crypto, and writes one vote per
// line (JSON) for send-votes.lua.
// Usage: node prepare-votes.mjs <base url> <admin token> <count> <out file> [concurrency]

import { writeFileSync } from 'node:fs';
import { b64u, canonical, utf8 } from '../support/vote-format.js';

const [baseUrl, adminToken, countText, outFile, concurrencyText = '16'] = process.argv.slice(2);
const count = Number(countText);
const { subtle } = globalThis.crypto;

async function post(path, body, headers = {}) {
  const response = await fetch(baseUrl + path, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

const admin = { authorization: `Bearer ${adminToken}` };
const created = await post('/api/v1/admin/elections', {
  title: `Benchmark ${new Date().toISOString()}`,
  options: [{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }, { id: 'c', label: 'C' }],
  eligibility: 'open', liveResults: true, revoting: false,
}, admin);
await post(`/api/v1/admin/elections/${created.id}/open`, undefined, admin);

const lines = new Array(count);
let next = 0;
async function worker() {
  while (next < count) {
    const i = next++;
    const key = await subtle.generateKey({ name: 'Ed25519' }, false, ['sign']);
    const publicKey = b64u(await subtle.exportKey('spki', key.publicKey));
    const prefix = b64u(crypto.getRandomValues(new Uint8Array(32)));
    const { token } = await post(`/api/v1/elections/${created.id}/ballot-tokens`,
      { alg: 'Ed25519', publicKey, prefix }, admin);
    const vote = {
      v: 1, electionId: created.id, voteId: crypto.randomUUID(), choice: ['a', 'b', 'c'][i % 3],
      castAt: new Date().toISOString(), idempotencyKey: crypto.randomUUID(), token,
    };
    vote.signature = b64u(await subtle.sign({ name: 'Ed25519' }, key.privateKey, utf8(canonical(vote))));
    lines[i] = JSON.stringify(vote);
  }
}
await Promise.all(Array.from({ length: Number(concurrencyText) }, worker));
writeFileSync(outFile, lines.join('\n') + '\n');
console.log(JSON.stringify({ electionId: created.id, votes: count, file: outFile }));
