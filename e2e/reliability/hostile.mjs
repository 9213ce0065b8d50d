// Hostile input on every public endpoint of the edge (the one origin), each with the answer the contract or
// docs/api.md gives it, and slow clients that dribble their requests while honest voters cast.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { assertProblem, percentile } from './verify.mjs';
import { b64u, canonical, deliver, newLog, signVote, sleep, utf8 } from './lib/voters.mjs';

const { subtle } = globalThis.crypto;

// One raw HTTP/1.1 exchange on its own connection, for what no well-behaved client library sends (two
// Content-Length headers, invalid UTF-8). Reads until the server closes or `timeoutMs`.
export function raw(port, bytes, timeoutMs = 10_000) {
  return new Promise((resolve) => {
    const chunks = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes)); // not end(): a half-close may drop the answer
    const done = () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [head, ...rest] = text.split('\r\n\r\n');
      const [statusLine, ...headerLines] = head.split('\r\n');
      const headers = {};
      for (const line of headerLines) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      let body = rest.join('\r\n\r\n');
      if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
        body = body.split('\r\n').filter((_, i) => i % 2 === 1).join('');
      }
      let json = null;
      try { json = JSON.parse(body); } catch { /* not JSON */ }
      resolve({ status: Number(statusLine.split(' ')[1]) || 0, headers, text: body, json });
    };
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', done);
    socket.on('error', () => {});
    socket.setTimeout(timeoutMs, () => socket.destroy());
  });
}

// An SPKI for a P-256 "key" whose point is not on the curve, and an Ed25519 one whose y does not decode.
async function invalidKeys() {
  const { publicKey } = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
  const ec = new Uint8Array(await subtle.exportKey('spki', publicKey));
  ec[ec.length - 1] ^= 0x01; // y changed by one bit: (x, y') is not on the curve
  const ed = new Uint8Array(await subtle.exportKey('spki', (await subtle.generateKey({ name: 'Ed25519' }, true, ['sign'])).publicKey));
  // y = 2^255 - 1 (all ones but the sign bit): above the field prime p = 2^255 - 19, not a valid encoding.
  ed.set(new Uint8Array(32).fill(0xff).map((v, i) => (i === 31 ? 0x7f : v)), ed.length - 32);
  const notAPoint = new Uint8Array(ec); // the uncompressed marker 0x04 replaced by 0x05
  notAPoint[ec.length - 65] = 0x05;
  return { offCurve: b64u(ec), edInvalid: b64u(ed), badMarker: b64u(notAPoint) };
}

export async function hostileInputs(api, election, other, honest, outsiders) {
  const votes = `/api/v1/elections/${election.id}/votes`;
  const tokens = `/api/v1/elections/${election.id}/ballot-tokens`;
  const [voter, second] = honest;
  const outsider = outsiders[0];
  const keys = await invalidKeys();
  const good = voter.vote; // never sent as is: each case breaks one thing
  const key = (vote) => ({ 'idempotency-key': `"${vote.idempotencyKey}"` });
  const resigned = async (fields) => {
    const vote = { ...good, ...fields, idempotencyKey: crypto.randomUUID(), voteId: crypto.randomUUID() };
    delete vote.signature;
    const algorithm = voter.alg === 'Ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', hash: 'SHA-256' };
    vote.signature = b64u(await subtle.sign(algorithm, voter.key.privateKey, utf8(canonical(vote))));
    return vote;
  };
  const unknownOption = await resigned({ choice: 'purple' });
  const nested = (depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const outsiderInHere = await signVote(outsider, { choice: 'red', electionId: election.id }); // other election's token
  const foreignSigned = { ...(await signVote(outsider, { choice: 'red' })) }; // a vote of the other election ...
  foreignSigned.electionId = election.id; // ... readdressed here, its signature kept
  const stolenSignature = { ...(await signVote(voter, { choice: 'green' })), signature: second.vote.signature };
  const wrongKeySigned = await signVote({ ...voter, key: second.key, alg: second.alg }, { choice: 'red' });
  const tokenRequest = (fields) => ({ body: { alg: 'ES256', publicKey: keys.offCurve, prefix: b64u(new Uint8Array(32)), ...fields } });
  const admin = { authorization: `Bearer ${api.adminToken}` };

  // [endpoint, what, request, status, slug]
  const cases = [
    ['votes', 'malformed JSON', { body: '{"v":1,"electionId":', headers: key(good) }, 400, 'invalid-vote'],
    ['votes', 'not JSON at all', { body: 'v=1&choice=red', headers: key(good) }, 400, 'invalid-vote'],
    ['votes', 'empty body', { body: '', headers: key(good) }, 400, 'invalid-vote'],
    ['votes', 'JSON array', { body: '[]', headers: key(good) }, 400, 'invalid-vote'],
    ['votes', 'nested 100 deep', { body: JSON.stringify({ ...good, extra: JSON.parse(nested(100)) }), headers: key(good) }, 400, 'invalid-vote'],
    ['votes', 'nested 16000 deep (under 16 KiB)', { body: `{"v":${nested(8000)}}`, headers: key(good) }, 400, 'invalid-vote'],
    ['votes', '1 MiB body', { body: JSON.stringify({ ...good, pad: 'x'.repeat(1 << 20) }), headers: key(good) }, 413, 'vote-too-large'],
    ['votes', '16 KiB + 1 body', { body: JSON.stringify({ ...good, choice: 'r'.repeat(16 * 1024) }), headers: key(good) }, 413, 'vote-too-large'],
    ['votes', 'v as string', { body: { ...good, v: '1' }, headers: key(good) }, 400, 'invalid-vote'],
    ['votes', 'v = 2', { body: { ...good, v: 2 }, headers: key(good) }, 400, 'invalid-vote'],
    ['votes', 'v = 1.0', { body: JSON.stringify(good).replace('"v":1', '"v":1.0'), headers: key(good) }, 400, 'invalid-vote'],
    ['votes', 'choice as number', { body: { ...good, choice: 5 }, headers: key(good) }, 400, 'invalid-vote'],
    ['votes', 'token as string', { body: { ...good, token: 'abc' }, headers: key(good) }, 400, 'invalid-vote'],
    ['votes', 'null fields', { body: { ...good, voteId: null }, headers: key(good) }, 400, 'invalid-vote'],
    ['votes', 'missing signature', { body: (({ signature, ...rest }) => rest)(good), headers: key(good) }, 400, 'invalid-vote'],
    ['votes', 'extra field', { body: { ...good, admin: true }, headers: key(good) }, 400, 'invalid-vote'],
    ['votes', 'duplicate JSON key', { body: JSON.stringify(good).replace('{', '{"choice":"blue",'), headers: key(good) }, 400, 'invalid-vote'],
    ['votes', 'voteId not a UUID', { body: { ...good, voteId: '../../etc/passwd' }, headers: key(good) }, 400, 'invalid-vote'],
    ['votes', 'castAt not RFC 3339', { body: { ...good, castAt: 'yesterday' }, headers: key(good) }, 400, 'invalid-vote'],
    ['votes', 'signature with b64 padding', { body: { ...good, signature: `${good.signature}==` }, headers: key(good) }, 400, 'invalid-vote'],
    ['votes', 'signature in standard base64', { body: { ...good, signature: `+/${good.signature.slice(2)}` }, headers: key(good) }, 400, 'invalid-vote'],
    ['votes', 'token prefix bad base64', { body: { ...good, token: { ...good.token, prefix: '!!!!' } }, headers: key(good) }, 400, 'invalid-vote'],
    ['votes', 'token prefix 31 bytes', { body: { ...good, token: { ...good.token, prefix: b64u(new Uint8Array(31)) } }, headers: key(good) }, 400, 'invalid-vote'],
    ['votes', 'unknown option', { body: unknownOption, headers: key(unknownOption) }, 400, 'invalid-vote'],
    ['votes', 'electionId differs from path', { body: { ...good, electionId: other.id }, headers: key(good) }, 400, 'invalid-vote'],
    ['votes', 'no Idempotency-Key header', { body: good }, 400, 'invalid-vote'],
    ['votes', 'Idempotency-Key differs from body', { body: good, headers: { 'idempotency-key': `"${crypto.randomUUID()}"` } }, 400, 'invalid-vote'],
    ['votes', 'two Idempotency-Key headers', { body: good, headers: { 'idempotency-key': [`"${good.idempotencyKey}"`, `"${good.idempotencyKey}"`] } }, 400, 'invalid-vote'],
    // The contract's vote table puts every malformed vote under 400 invalid-vote; docs/api.md keeps 415 for the rest.
    ['votes', 'text/plain body', { body: JSON.stringify(good), headers: { ...key(good), 'content-type': 'text/plain' } }, 400, 'invalid-vote'],
    ['ballot-tokens', 'text/plain body', { path: tokens, body: '{}', headers: { 'content-type': 'text/plain' } }, 400, 'invalid-token-request'],
    ['votes', 'unknown election', { path: '/api/v1/elections/no-such-election/votes', body: { ...good, electionId: 'no-such-election' }, headers: key(good) }, 404, 'unknown-election'],
    ['votes', 'token of another election', { body: outsiderInHere, headers: key(outsiderInHere) }, 403, 'invalid-token'],
    ['votes', 'vote of another election readdressed', { body: foreignSigned, headers: key(foreignSigned) }, 403, 'invalid-token'],
    ['votes', 'token signature tampered', { body: { ...good, token: { ...good.token, signature: second.vote.token.signature } }, headers: key(good) }, 403, 'invalid-token'],
    ['votes', 'token kid unknown', { body: { ...good, token: { ...good.token, kid: outsider.token.kid } }, headers: key(good) }, 403, 'invalid-token'],
    ['votes', 'token publicKey swapped (invalid curve point)', { body: { ...good, token: { ...good.token, alg: 'ES256', publicKey: keys.offCurve } }, headers: key(good) }, 403, 'invalid-token'],
    ['votes', 'signature of another vote replayed', { body: stolenSignature, headers: key(stolenSignature) }, 401, 'invalid-signature'],
    ['votes', 'signed with another voter key', { body: wrongKeySigned, headers: key(wrongKeySigned) }, 401, 'invalid-signature'],
    ['votes', 'signature all zeros', { body: { ...good, signature: b64u(new Uint8Array(64)) }, headers: key(good) }, 401, 'invalid-signature'],
    ['votes', 'GET on the vote path (no such route)', { method: 'GET' }, 404, 'not-found'],

    ['ballot-tokens', 'malformed JSON', { path: tokens, body: '{"alg":' }, 400, 'invalid-token-request'],
    ['ballot-tokens', 'nested 5000 deep', { path: tokens, body: `{"alg":${nested(5000)}}` }, 400, 'invalid-token-request'],
    ['ballot-tokens', '1 MiB body', { path: tokens, body: JSON.stringify({ alg: 'x'.repeat(1 << 20) }) }, 413, 'request-too-large'],
    ['ballot-tokens', 'P-256 point off the curve', { path: tokens, ...tokenRequest({}) }, 400, 'invalid-token-request'],
    ['ballot-tokens', 'P-256 key with a bad point marker', { path: tokens, ...tokenRequest({ publicKey: keys.badMarker }) }, 400, 'invalid-token-request'],
    ['ballot-tokens', 'Ed25519 key that is no point', { path: tokens, ...tokenRequest({ alg: 'Ed25519', publicKey: keys.edInvalid }) }, 400, 'invalid-token-request'],
    ['ballot-tokens', 'alg RS256', { path: tokens, ...tokenRequest({ alg: 'RS256', publicKey: voter.publicKey }) }, 400, 'invalid-token-request'],
    ['ballot-tokens', 'publicKey bad base64', { path: tokens, ...tokenRequest({ alg: 'Ed25519', publicKey: 'a+b/c=' }) }, 400, 'invalid-token-request'],
    ['ballot-tokens', 'prefix 33 bytes', { path: tokens, ...tokenRequest({ alg: 'Ed25519', publicKey: voter.publicKey, prefix: b64u(new Uint8Array(33)) }) }, 400, 'invalid-token-request'],
    ['ballot-tokens', 'prefix as number', { path: tokens, ...tokenRequest({ alg: 'Ed25519', publicKey: voter.publicKey, prefix: 7 }) }, 400, 'invalid-token-request'],
    ['ballot-tokens', 'blindedMessage not base64url', { path: tokens, body: { blindedMessage: '%%%' } }, 400, 'invalid-token-request'],

    ['admin', 'no bearer token', { path: '/api/v1/admin/elections', method: 'POST', body: { title: 'x' } }, 401, 'unauthorized'],
    ['admin', 'wrong bearer token', { path: '/api/v1/admin/elections', method: 'POST', body: { title: 'x' }, headers: { authorization: 'Bearer nope' } }, 401, 'unauthorized'],
    // Harmless if let through (a read): which of two headers counts must not depend on who reads them.
    ['admin', 'two Authorization headers', { path: `/api/v1/admin/elections/${election.id}/stats`, method: 'GET', headers: { authorization: [admin.authorization, 'Bearer nope'] } }, 401, 'unauthorized'],
    ['admin', 'malformed election JSON', { path: '/api/v1/admin/elections', method: 'POST', body: '{"title":', headers: admin }, 400, 'invalid-election'],
    ['admin', 'election with one option', { path: '/api/v1/admin/elections', method: 'POST', headers: admin,
      body: { title: 'x', options: [{ label: 'only' }], eligibility: 'open', liveResults: true, revoting: false } }, 400, 'invalid-election'],
    ['admin', 'credentials count as string', { path: `/api/v1/admin/elections/${election.id}/credentials`, method: 'POST', body: { count: '5' }, headers: admin }, 400, 'invalid-request'],

    ['reads', 'tally of an unknown election', { path: '/api/v1/elections/no-such-election/tally', method: 'GET' }, 404, 'unknown-election'],
    ['reads', 'board after=abc', { path: `/api/v1/elections/${election.id}/ballots?after=abc`, method: 'GET' }, 400, 'invalid-request'],
    ['reads', 'board after=-5', { path: `/api/v1/elections/${election.id}/ballots?after=-5`, method: 'GET' }, 400, 'invalid-request'],
    ['reads', 'board after=10^30', { path: `/api/v1/elections/${election.id}/ballots?after=${'9'.repeat(30)}`, method: 'GET' }, 400, 'invalid-request'],
    ['reads', 'election id with traversal', { path: '/api/v1/elections/..%2F..%2Factuator', method: 'GET' }, 404, 'unknown-election'],
    ['reads', 'unknown path', { path: '/api/v1/nothing-here', method: 'GET' }, 404, 'not-found'],
  ];

  const byEndpoint = {};
  const wrong = []; // every case is tried; the failures are reported together
  const check = (fn) => { try { fn(); } catch (error) { wrong.push(error.message.split('\n')[0]); } };
  for (const [endpoint, what, request, status, slug] of cases) {
    const answer = await api.call(request.method ?? 'POST', request.path ?? votes, {
      body: request.body, headers: request.headers ?? {}, timeoutMs: 15_000,
    });
    check(() => assertProblem(answer, status, slug, `${endpoint}: ${what}`));
    byEndpoint[endpoint] = (byEndpoint[endpoint] ?? 0) + 1;
  }

  // What only a hand-written request can carry.
  const body = JSON.stringify(good);
  const badlySigned = JSON.stringify({ ...good, signature: b64u(new Uint8Array(64)) });
  const head = (extra) => `POST ${votes} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n`
    + `Idempotency-Key: "${good.idempotencyKey}"\r\nConnection: close\r\n${extra}\r\n`;
  const port = Number(new URL(api.baseUrl).port);
  const rawCases = [
    // Two different lengths: request smuggling's raw material. Refused by the HTTP codec before any handler runs,
    // so the answer is the transport's 400 (no problem body): the check is that nothing gets through.
    ['two different Content-Length headers', head(`Content-Length: ${body.length}\r\nContent-Length: 5\r\n`) + body, 400, null],
    // Both: Transfer-Encoding wins (RFC 9112 6.3) and the Content-Length is dropped, so the body is the whole chunked
    // vote, not 5 bytes and a smuggled second request: the answer is that vote's own (its signature is broken).
    ['Content-Length and chunked together', head(`Content-Length: 5\r\nTransfer-Encoding: chunked\r\n`) + `${badlySigned.length.toString(16)}\r\n${badlySigned}\r\n0\r\n\r\n`, 401, 'invalid-signature'],
    ['invalid UTF-8 in the body', Buffer.concat([Buffer.from(head(`Content-Length: ${body.length}\r\n`)), Buffer.from(body.replace('"red"', '"r\u00ffd"'), 'latin1')]), 400, 'invalid-vote'],
    ['1 MiB chunked body (no Content-Length)', head('Transfer-Encoding: chunked\r\n') + `100000\r\n${'x'.repeat(0x100000)}\r\n0\r\n\r\n`, 413, 'vote-too-large'],
  ];
  for (const [what, bytes, status, slug] of rawCases) {
    const answer = await raw(port, bytes);
    if (slug) check(() => assertProblem(answer, status, slug, `votes (raw): ${what}`));
    else check(() => assert.equal(answer.status, status, `votes (raw): ${what}: got ${answer.status} ${answer.text.slice(0, 200)}`));
    byEndpoint['votes (raw HTTP)'] = (byEndpoint['votes (raw HTTP)'] ?? 0) + 1;
  }
  assert.deepEqual(wrong, [], 'every hostile request gets its problem answer');
  return { count: cases.length + rawCases.length, byEndpoint };
}

// Slow clients: connections that open a vote request and then dribble it, one byte a second, some still in their
// headers and some in their body, while honest voters cast. The honest votes must stay fast; each body dribbler is
// cut off once the edge's request timeout (voting.edge.slow-clients.request-timeout, 20 s) passes.
export async function slowClients(stack, api, election, honest, { count = 60 } = {}) {
  const port = stack.ports.edge;
  const path = `/api/v1/elections/${election.id}/votes`;
  const half = Math.floor(honest.length / 2);
  const baseline = await castTimed(api, honest.slice(0, half));

  const sockets = [];
  const answers = [];
  const opened = Date.now();
  for (let i = 0; i < count; i += 1) {
    const inBody = i % 2 === 0;
    const socket = connect(port, '127.0.0.1');
    const head = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 900\r\n`;
    const pending = inBody ? `{"v":1,"electionId":"${election.id}","pad":"${'x'.repeat(800)}"}` : `Idempotency-Key: "${crypto.randomUUID()}"\r\n`;
    const state = { inBody, socket, status: null, closedAfterMs: null, chunks: [] };
    socket.on('data', (chunk) => {
      state.chunks.push(chunk);
      state.status ??= Number(Buffer.concat(state.chunks).toString('latin1').split(' ')[1]);
    });
    socket.on('close', () => { state.closedAfterMs = Date.now() - opened; });
    socket.on('error', () => {});
    socket.write(inBody ? `${head}Idempotency-Key: "${crypto.randomUUID()}"\r\n\r\n` : head);
    let sent = 0;
    state.timer = setInterval(() => {
      if (socket.destroyed || sent >= pending.length) return;
      socket.write(pending[sent]);
      sent += 1;
    }, 1000);
    sockets.push(state);
    answers.push(state);
  }
  await sleep(1500); // let them all be open and dribbling
  const underAttack = await castTimed(api, honest.slice(half));
  const underAttackEnded = Date.now();
  // The body dribblers pass the edge's request timeout (20 s by default) well before their 900 bytes are in.
  const deadline = opened + 40_000;
  while (Date.now() < deadline && answers.some((s) => s.inBody && s.closedAfterMs === null)) await sleep(250);
  for (const state of sockets) {
    clearInterval(state.timer);
    state.socket.destroy();
  }
  const bodyDribblers = answers.filter((s) => s.inBody);
  const headerDribblers = answers.filter((s) => !s.inBody);
  for (const state of bodyDribblers) {
    assert.ok(state.closedAfterMs !== null && state.closedAfterMs <= 30_000,
      `a dribbled body is cut off by the edge's request timeout (closed after ${state.closedAfterMs} ms)`);
    // Its answer, when the transport lets one out before it closes the connection, is the 408 problem.
    if (state.status !== null) {
      const [head, body] = Buffer.concat(state.chunks).toString('utf8').split('\r\n\r\n');
      let json = null;
      try { json = JSON.parse(body.replace(/^[0-9a-f]+\r\n/, '').replace(/\r\n0\r\n$/, '').trim()); } catch { /* see below */ }
      const contentType = /content-type: *([^\r]*)/i.exec(head)?.[1] ?? '';
      assertProblem({ status: state.status, headers: { 'content-type': contentType }, json, text: body }, 408,
        'request-timeout', 'a dribbled body');
    }
  }

  const p95Before = percentile(baseline, 95);
  const p95During = percentile(underAttack, 95);
  // Honest voters keep their speed: at most a little slower than with no slow clients at all (the machine is shared
  // and small, so an absolute bound would measure the neighbours).
  assert.ok(p95During <= Math.max(3 * p95Before, 1000), `honest p95 ${p95During.toFixed(0)} ms with slow clients vs ${p95Before.toFixed(0)} ms without`);
  return {
    slowClients: count,
    slowBodiesCutOff: bodyDribblers.filter((s) => s.closedAfterMs !== null).length,
    slowBodiesAnswered408: bodyDribblers.filter((s) => s.status === 408).length,
    slowBodyCutAfterSecondsMax: Math.max(...bodyDribblers.map((s) => s.closedAfterMs)) / 1000,
    slowHeadersStillHangingAtEnd: headerDribblers.filter((s) => s.closedAfterMs === null || s.closedAfterMs > underAttackEnded - opened).length,
    honestP50MsWithout: Math.round(percentile(baseline, 50)),
    honestP95MsWithout: Math.round(p95Before),
    honestP50MsWithSlowClients: Math.round(percentile(underAttack, 50)),
    honestP95MsWithSlowClients: Math.round(p95During),
  };
}

// Casts each voter's vote (8 at a time) and returns the latency of each, in ms; every one must get its receipt:
// 201, or 200 (its receipt as a replay) only when an earlier attempt of that very vote did not get its receipt.
async function castTimed(api, voters) {
  const latencies = [];
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < voters.length) {
      const voter = voters[next++];
      const log = newLog();
      const started = performance.now();
      const answer = await deliver(api, voter, log, { deadline: Date.now() + 30_000 });
      const accepted = answer.status === 201 || (answer.status === 200 && log.attempts > 1);
      assert.ok(accepted, `an honest vote is accepted: ${answer.status} ${answer.text} (attempts: ${JSON.stringify(log.outcomes)})`);
      latencies.push(performance.now() - started);
    }
  }));
  return latencies;
}

