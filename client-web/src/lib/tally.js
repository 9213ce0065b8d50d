// The live tally: Server-Sent Events first; after repeated errors or a closed stream, polling the tally JSON with
// its ETag; and back to the stream after a while. `position` only grows, so an older tally never replaces a newer.
//
// States reported through onState: 'connecting', 'live' (stream open), 'polling', 'hidden' (results are not public
// yet: 403), 'stopped'.

export const TALLY_TIMING = Object.freeze({
  maxStreamErrors: 3, // errors in a row before the stream is given up for polling
  pollMs: 5_000, // between polls (plus up to 20% random)
  backToStreamMs: 60_000, // how long to poll before trying the stream again
});

export function createTallyFeed({
  electionId,
  api,
  onTally,
  onState = () => {},
  EventSourceImpl = globalThis.EventSource,
  timing = TALLY_TIMING,
  random = Math.random,
  setTimer = (fn, ms) => setTimeout(fn, ms),
  clearTimer = (handle) => clearTimeout(handle),
  now = () => Date.now(),
}) {
  let source = null;
  let timer = null;
  let etag = null;
  let position = -1;
  let errors = 0;
  let stopped = true;
  let pollingSince = 0;
  let state = null;

  const setState = (next) => {
    if (next !== state) {
      state = next;
      onState(next);
    }
  };

  function accept(tally) {
    if (!tally || typeof tally.position !== 'number' || tally.electionId !== electionId) return;
    if (tally.position < position) return;
    position = tally.position;
    etag = `"${tally.position}"`;
    onTally(tally);
  }

  function closeStream() {
    if (source) {
      source.close();
      source = null;
    }
  }

  function openStream() {
    closeStream();
    if (stopped) return;
    if (!EventSourceImpl) {
      startPolling();
      return;
    }
    setState('connecting');
    errors = 0;
    const stream = new EventSourceImpl(api.tallyStreamUrl(electionId, position >= 0 ? position : null));
    source = stream;
    stream.addEventListener('open', () => {
      if (source !== stream) return;
      errors = 0;
      setState('live');
    });
    stream.addEventListener('tally', (event) => {
      if (source !== stream) return;
      errors = 0;
      setState('live');
      try {
        accept(JSON.parse(event.data));
      } catch {
        // a malformed event is skipped; the next one carries the whole tally again
      }
    });
    stream.addEventListener('error', () => {
      if (source !== stream) return;
      errors += 1;
      // CLOSED (2): the browser gave up (an error status, a wrong content type): it will not reconnect by itself.
      if (stream.readyState === 2 || errors >= timing.maxStreamErrors) startPolling();
      else setState('connecting');
    });
  }

  function scheduleNext(ms) {
    clearTimer(timer);
    timer = setTimer(tick, ms);
  }

  function startPolling() {
    closeStream();
    if (stopped) return;
    pollingSince = now();
    setState('polling');
    poll();
  }

  async function poll() {
    if (stopped) return;
    try {
      const response = await api.getTally(electionId, etag);
      if (stopped) return;
      if (response.status === 200) accept(response.body);
      else if (response.status === 403) {
        setState('hidden');
        stop(false);
        return;
      }
    } catch {
      // offline or unreachable: keep polling at the same pace
    }
    if (stopped) return;
    scheduleNext(timing.pollMs + Math.floor(random() * timing.pollMs * 0.2));
  }

  function tick() {
    timer = null;
    if (stopped) return;
    if (now() - pollingSince >= timing.backToStreamMs) openStream();
    else poll();
  }

  function start() {
    if (!stopped) return;
    stopped = false;
    openStream();
  }

  function stop(report = true) {
    stopped = true;
    clearTimer(timer);
    timer = null;
    closeStream();
    if (report) setState('stopped');
  }

  return { start, stop, get state() { return state; } };
}
