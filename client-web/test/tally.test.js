import { describe, expect, it } from 'vitest';
import { createTallyFeed } from '../src/lib/tally.js';
import { createFakeServer } from './support/fakeServer.js';
import { apiFor, fakeClock } from './support/env.js';

class FakeEventSource {
  static made = [];
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.listeners = {};
    FakeEventSource.made.push(this);
  }
  addEventListener(type, fn) { (this.listeners[type] ??= []).push(fn); }
  emit(type, event = {}) { for (const fn of this.listeners[type] ?? []) fn(event); }
  open() { this.readyState = 1; this.emit('open'); }
  tally(t) { this.emit('tally', { data: JSON.stringify(t), lastEventId: String(t.position) }); }
  close() { this.readyState = 2; this.closed = true; }
}

function harness(server, extra = {}) {
  FakeEventSource.made = [];
  const clock = fakeClock();
  const timers = [];
  const seen = [];
  const states = [];
  const feed = createTallyFeed({
    electionId: 'demo', api: apiFor(server), EventSourceImpl: FakeEventSource, random: () => 0, now: clock.now,
    onTally: (t) => seen.push(t), onState: (s) => states.push(s),
    setTimer: (fn, ms) => { const t = { fn, ms }; timers.push(t); return t; },
    clearTimer: (t) => { const i = timers.indexOf(t); if (i >= 0) timers.splice(i, 1); },
    timing: { maxStreamErrors: 3, pollMs: 5000, backToStreamMs: 60_000 },
    ...extra,
  });
  const fire = async () => {
    const t = timers.shift();
    clock.advance(t.ms);
    await t.fn();
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { feed, clock, timers, seen, states, fire, source: () => FakeEventSource.made.at(-1) };
}
const tally = (position, red = position) => ({ electionId: 'demo', position, counts: { red, green: 0, blue: 0 }, total: red,
  asOf: '2026-03-01T08:00:00Z' });
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const tallyGets = (server) => server.requests.filter((r) => r.path.endsWith('/tally'));

describe('live tally', () => {
  it('follows the stream, and never goes back to an older position', async () => {
    const server = await createFakeServer();
    const { feed, seen, states, source } = harness(server);
    feed.start();
    expect(source().url).toBe('http://client.test/api/v1/elections/demo/tally/stream');
    source().open();
    source().tally(tally(3));
    source().tally(tally(2));
    source().tally(tally(5));
    expect(seen.map((t) => t.position)).toEqual([3, 5]);
    expect(states).toEqual(['connecting', 'live']);
    feed.stop();
    expect(source().closed).toBe(true);
  });

  it('after repeated errors: polls the JSON with its ETag (304 changes nothing), then back to the stream, resuming', async () => {
    const server = await createFakeServer();
    const { feed, seen, states, source, fire, timers } = harness(server);
    feed.start();
    source().open();
    source().tally({ ...tally(0), counts: { red: 0, green: 0, blue: 0 } });
    const first = source();
    first.emit('error');
    first.emit('error');
    expect(first.closed).toBeUndefined(); // the browser reconnects by itself
    first.emit('error');
    expect(first.closed).toBe(true);
    await flush();
    expect(states.at(-1)).toBe('polling');
    const gets = tallyGets(server);
    expect(gets).toHaveLength(1);
    expect(gets[0].headers['if-none-match']).toBe('"0"');
    expect(seen).toHaveLength(1); // 304

    expect(timers[0].ms).toBe(5000);
    await fire();
    expect(tallyGets(server)).toHaveLength(2);

    let polls = 0;
    while (FakeEventSource.made.length < 2 && polls < 20) {
      await fire();
      polls += 1;
    }
    expect(polls).toBe(11); // 60 s of polling every 5 s, then the stream again
    expect(tallyGets(server)).toHaveLength(12);
    expect(source().url).toBe('http://client.test/api/v1/elections/demo/tally/stream?lastEventId=0');
    source().open();
    expect(states.at(-1)).toBe('live');
    feed.stop();
  });

  it('a stream the browser closes (an error status) falls back to polling at once; 200 answers update the tally', async () => {
    const server = await createFakeServer();
    const { feed, seen, states, source } = harness(server);
    feed.start();
    source().readyState = 2;
    source().emit('error');
    await flush();
    expect(states).toEqual(['connecting', 'polling']);
    expect(seen).toEqual([expect.objectContaining({ position: 0, counts: { red: 0, green: 0, blue: 0 }, total: 0 })]);
    feed.stop();
  });

  it('results not public: says so and stops', async () => {
    const server = await createFakeServer({ elections: [{ liveResults: false }] });
    const { feed, states, source, timers } = harness(server);
    feed.start();
    source().readyState = 2;
    source().emit('error');
    await flush();
    expect(states.at(-1)).toBe('hidden');
    expect(timers).toHaveLength(0);
    feed.stop();
  });

  it('without EventSource, polls', async () => {
    const server = await createFakeServer();
    const { feed, states } = harness(server, { EventSourceImpl: undefined });
    feed.start();
    await flush();
    expect(states).toEqual(['polling']);
    expect(tallyGets(server)).toHaveLength(1);
    feed.stop();
  });
});
