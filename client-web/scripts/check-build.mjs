// Checks what `npm run build` wrote: the shell the service worker keeps, and the JavaScript budget of the first
// load of an election page (every script index.html loads, gzip level 9): under 100 KB.
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url);
const BUDGET = 100 * 1024;

const index = readFileSync(new URL('index.html', dist), 'utf8');
const scripts = [...index.matchAll(/<script[^>]+src="\.\/([^"]+)"/g), ...index.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\.\/([^"]+)"/g)]
  .map((m) => m[1]);
if (!scripts.length) throw new Error('index.html loads no script');

let total = 0;
for (const file of scripts) {
  const gz = gzipSync(readFileSync(new URL(file, dist)), { level: 9 }).length;
  total += gz;
  console.log(`  ${file}: ${gz} bytes gzip`);
}
console.log(`first-load JavaScript: ${total} bytes gzip (${(total / 1024).toFixed(1)} KiB; budget ${BUDGET / 1024} KiB)`);
if (total >= BUDGET) throw new Error(`over the JavaScript budget: ${total} ≥ ${BUDGET}`);

const sw = readFileSync(new URL('sw.js', dist), 'utf8');
for (const file of ['index.html', 'manifest.webmanifest', ...scripts]) {
  if (!existsSync(new URL(file, dist))) throw new Error(`missing ${file}`);
  if (![`"${file}"`, `\`${file}\``, `'${file}'`].some((quoted) => sw.includes(quoted))) throw new Error(`sw.js does not precache ${file}`);
}
if (/^\s*import\s/m.test(sw)) throw new Error('sw.js must be a classic script');
console.log(`sw.js: ${Buffer.byteLength(sw)} bytes, precaches the shell`);
