// The contract's HTTP calls. Every answer comes back as {ok, status, headers, body}; a network failure or a
// timeout throws a NetworkError, so the queue can tell "no answer" from "an answer that says no".

export class NetworkError extends Error {
  constructor(message, cause) {
    super(message);
    this.name = 'NetworkError';
    this.cause = cause;
  }
}

export function createApi({ fetch = globalThis.fetch.bind(globalThis), baseUrl = '', timeoutMs = 15_000 } = {}) {
  async function request(method, path, { body, headers = {}, accept = 'application/json' } = {}) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let response;
    try {
      response = await fetch(baseUrl + path, {
        method,
        headers: { accept, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body,
        cache: 'no-store',
        credentials: 'same-origin',
        signal: controller.signal,
      });
    } catch (error) {
      throw new NetworkError(error?.name === 'AbortError' ? 'the request timed out' : String(error?.message ?? error), error);
    } finally {
      clearTimeout(timer);
    }
    let text;
    try {
      text = await response.text();
    } catch (error) {
      throw new NetworkError('the answer was cut off', error);
    }
    let parsed = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
    }
    return { ok: response.ok, status: response.status, headers: response.headers, body: parsed, text };
  }

  const e = encodeURIComponent;
  return {
    request,
    listElections: () => request('GET', '/api/v1/elections'),
    getElection: (id) => request('GET', `/api/v1/elections/${e(id)}`),
    requestToken: (id, tokenRequest) => request('POST', `/api/v1/elections/${e(id)}/ballot-tokens`,
      { body: JSON.stringify(tokenRequest) }),
    // The body is the vote's canonical JSON; the Idempotency-Key header is a structured-field string.
    postVote: (id, voteJson, idempotencyKey) => request('POST', `/api/v1/elections/${e(id)}/votes`,
      { body: voteJson, headers: { 'idempotency-key': `"${idempotencyKey}"` } }),
    getTally: (id, etag) => request('GET', `/api/v1/elections/${e(id)}/tally`,
      { headers: etag ? { 'if-none-match': etag } : {} }),
    tallyStreamUrl: (id, lastEventId) => `${baseUrl}/api/v1/elections/${e(id)}/tally/stream`
      + (lastEventId != null ? `?lastEventId=${e(lastEventId)}` : ''),
  };
}
