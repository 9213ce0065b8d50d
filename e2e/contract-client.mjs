// An outside client written only from ../shared/contract/voting-api-v1.md: plain Node 20, fetch and Web Crypto.
// It creates an election, gets a ballot token, casts a signed vote, and checks the token and the receipt.
// Usage: node contract-client.mjs <base url> <admin token> [Ed25519|ES256]
// Exit code 0 and a JSON summary when every check holds.

const [baseUrl, adminToken, alg = 'Ed25519'] = process.argv.slice(2);
const { subtle } = globalThis.crypto;

const b64u = (bytes) => Buffer.from(bytes).toString('base64url');
const fromB64u = (text) => new Uint8Array(Buffer.from(text, 'base64url'));
const utf8 = (text) => new TextEncoder().encode(text);

// RFC 8785 for what the contract signs: objects, strings and integers. Keys sort by UTF-16 code units,
// which is JavaScript's default string order; strings and integers serialize as JSON.stringify does.
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

async function call(method, path, body, headers = {}) {
  const response = await fetch(baseUrl + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : null };
}

function expect(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
}

const admin = { authorization: `Bearer ${adminToken}` };
const created = await call('POST', '/api/v1/admin/elections', {
  title: 'Outside client election',
  options: [{ id: 'red', label: 'Red' }, { id: 'blue', label: 'Blue' }],
  eligibility: 'open', liveResults: true, revoting: false,
}, admin);
expect(created.status === 201, `election created (got ${created.status} ${created.text})`);
const election = (await call('POST', `/api/v1/admin/elections/${created.json.id}/open`, undefined, admin)).json;
expect(election.status === 'open', 'election open');

const keyAlgorithm = alg === 'Ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256' };
const signAlgorithm = alg === 'Ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', hash: 'SHA-256' };
const voterKey = await subtle.generateKey(keyAlgorithm, false, ['sign', 'verify']);
const publicKey = b64u(await subtle.exportKey('spki', voterKey.publicKey));
const prefix = crypto.getRandomValues(new Uint8Array(32));

const issued = await call('POST', `/api/v1/elections/${election.id}/ballot-tokens`, { alg, publicKey, prefix: b64u(prefix) });
expect(issued.status === 201, `token issued (got ${issued.status} ${issued.text})`);
const token = issued.json.token;

const tokenMessage = utf8(canonical({ alg, electionId: election.id, publicKey }));
const issuerKey = await subtle.importKey('spki', fromB64u(election.keys.issuer.spki),
  { name: 'RSA-PSS', hash: 'SHA-384' }, false, ['verify']);
const tokenVerifies = await subtle.verify({ name: 'RSA-PSS', saltLength: 48 }, issuerKey,
  fromB64u(token.signature), new Uint8Array([...prefix, ...tokenMessage]));
expect(tokenVerifies, 'token signature verifies with the published issuer key');
expect(token.kid === election.keys.issuer.kid, 'token kid is the issuer kid');

const vote = {
  v: 1, electionId: election.id, voteId: crypto.randomUUID(), choice: 'blue',
  castAt: new Date().toISOString(), idempotencyKey: crypto.randomUUID(), token,
};
vote.signature = b64u(await subtle.sign(signAlgorithm, voterKey.privateKey, utf8(canonical(vote))));
const voteHash = b64u(await subtle.digest('SHA-256', utf8(canonical(vote))));
const ballotId = b64u(await subtle.digest('SHA-256', tokenMessage));

const cast = await call('POST', `/api/v1/elections/${election.id}/votes`, vote, { 'idempotency-key': `"${vote.idempotencyKey}"` });
expect(cast.status === 201, `vote accepted (got ${cast.status} ${cast.text})`);
const receipt = cast.json;
expect(receipt.voteHash === voteHash, 'receipt voteHash is the hash of the vote');
expect(receipt.ballotId === ballotId, 'receipt ballotId is derived from the token');
expect(receipt.voteId === vote.voteId && receipt.electionId === election.id, 'receipt names the vote');

const { signature, ...unsigned } = receipt;
const receiptKey = await subtle.importKey('spki', fromB64u(election.keys.receipt.spki), { name: 'Ed25519' }, false, ['verify']);
expect(receipt.kid === election.keys.receipt.kid, 'receipt kid is the published receipt key');
expect(await subtle.verify({ name: 'Ed25519' }, receiptKey, fromB64u(signature), utf8(canonical(unsigned))),
  'receipt signature verifies');

const again = await call('POST', `/api/v1/elections/${election.id}/votes`, vote, { 'idempotency-key': vote.idempotencyKey });
expect(again.status === 200 && again.headers.get('idempotent-replayed') === 'true', 'resend is a replay');
expect(again.text === cast.text, 'resend gets the identical receipt');

console.log(JSON.stringify({ electionId: election.id, ballotId, voteHash, receipt: 'verified' }));
