import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { canonicalize, canonicalBytes } from '../src/lib/canonical.js';
import { b64u, fromB64u } from '../src/lib/b64u.js';

const vectors = new URL('../../shared-events/src/test/resources/vectors/', import.meta.url);
const hex = (bytes) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');

describe('canonical JSON (RFC 8785)', () => {
  it('serializes the RFC 8785 §3.2.2 example (shared-events/…/rfc8785-primitives.json)', () => {
    const input = JSON.parse(readFileSync(new URL('rfc8785-primitives.json', vectors), 'utf8'));
    expect(canonicalize(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
      + '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  });

  it('sorts members by UTF-16 code units: the RFC 8785 §3.2.3 example (rfc8785-sorting.json)', () => {
    const input = JSON.parse(readFileSync(new URL('rfc8785-sorting.json', vectors), 'utf8'));
    const out = canonicalize(input);
    expect(out).toBe('{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis",'
      + '"€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}');
    // RFC 8785 §3.2.4: the UTF-8 of the sorted names' first bytes
    expect(hex(canonicalBytes(input).subarray(0, 12))).toBe('7b 22 5c 72 22 3a 22 43 61 72 72 69');
  });

  it('serializes numbers as the RFC 8785 Appendix B samples', () => {
    const samples = [[0, '0'], [-0, '0'], [1, '1'], [-1, '-1'], [9007199254740991, '9007199254740991'],
      [1e21, '1e+21'], [1e20, '100000000000000000000'], [5e-324, '5e-324'], [0.000001, '0.000001'], [1e-7, '1e-7'],
      [295147905179352830000, '295147905179352830000'], [-1.7976931348623157e308, '-1.7976931348623157e+308']];
    for (const [value, text] of samples) expect(canonicalize(value)).toBe(text);
  });

  it('is the same for objects built in any key order, and nests', () => {
    const a = { v: 1, electionId: 'demo', token: { signature: 's', alg: 'Ed25519', kid: 'k' }, choice: 'red' };
    const b = { choice: 'red', token: { kid: 'k', alg: 'Ed25519', signature: 's' }, electionId: 'demo', v: 1 };
    expect(canonicalize(a)).toBe(canonicalize(b));
    expect(canonicalize(a)).toBe('{"choice":"red","electionId":"demo","token":{"alg":"Ed25519","kid":"k","signature":"s"},"v":1}');
  });

  it('escapes control characters and keeps other characters as they are', () => {
    expect(canonicalize('\u0000\u001f\t\b\f\u007f</é')).toBe('"\\u0000\\u001f\\t\\b\\f\u007f</é"');
  });

  it('refuses what is not JSON instead of dropping it', () => {
    expect(() => canonicalize({ a: undefined })).toThrow(TypeError);
    expect(() => canonicalize(NaN)).toThrow(TypeError);
    expect(() => canonicalize(Infinity)).toThrow(TypeError);
    expect(() => canonicalize(10n)).toThrow(TypeError);
    expect(() => canonicalize('\ud800')).toThrow(TypeError);
    expect(() => canonicalize('a\udc00')).toThrow(TypeError);
    expect(canonicalize('\ud83d\ude00')).toBe('"😀"');
  });
});

describe('base64url without padding', () => {
  it('round-trips every length and uses - and _', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = crypto.getRandomValues(new Uint8Array(n));
      const text = b64u(bytes);
      expect(text).not.toMatch(/[=+/]/);
      expect(fromB64u(text)).toEqual(bytes);
    }
    expect(b64u(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('-_-_');
  });

  it('refuses padding and foreign characters', () => {
    expect(() => fromB64u('AA==')).toThrow(TypeError);
    expect(() => fromB64u('A+/A')).toThrow(TypeError);
    expect(() => fromB64u('A')).toThrow(TypeError);
  });
});
