// RFC 8785 (JSON Canonicalization Scheme). The contract signs objects of strings and integers; the rest of JCS
// comes for free in JavaScript, because JCS is defined in ECMAScript's terms:
// - strings serialize as JSON.stringify does (RFC 8785 §3.2.2.2); lone surrogates are refused (§3.2.2.2 requires
//   well-formed Unicode);
// - numbers serialize as ECMAScript's Number-to-String, which JSON.stringify uses (§3.2.2.3); NaN and ±Infinity are
//   refused;
// - object members sort by their names' UTF-16 code units (§3.2.3), which is what Array.prototype.sort does.
// `undefined`, functions, symbols and bigints are refused rather than silently dropped: a signed value must not
// lose a field on the way.

function wellFormed(text) {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return false;
    }
  }
  return true;
}

export function canonicalize(value) {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      if (!wellFormed(value)) throw new TypeError('JCS: string with a lone surrogate');
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`JCS: ${value} is not a JSON number`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (Array.isArray(value)) return `[${value.map(canonicalize).join(',')}]`;
      return `{${Object.keys(value).sort()
        .map((key) => `${canonicalize(key)}:${canonicalize(value[key])}`).join(',')}}`;
    default:
      throw new TypeError(`JCS: a ${typeof value} is not JSON`);
  }
}

export const canonicalBytes = (value) => new TextEncoder().encode(canonicalize(value));
