// The service worker's build, run after the app's (npm run build): one classic script, dist/sw.js, with the sync
// engine and Dexie bundled in, and the precache list made from what the app's build wrote into dist/.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { defineConfig } from 'vite';

const DIST = new URL('./dist/', import.meta.url).pathname;

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

// Everything the app's build emitted except the worker itself and maps; sorted, so the list is stable.
export function precacheList(dist = DIST) {
  return filesUnder(dist)
    .map((path) => relative(dist, path).split(sep).join('/'))
    .filter((path) => path !== 'sw.js' && !path.endsWith('.map') && !path.startsWith('.vite/'))
    .sort();
}

// The cache is named after the content of what it keeps: any change to any file gives a new worker and cache.
export function versionOf(files, dist = DIST) {
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update('\0').update(readFileSync(join(dist, file)));
  return hash.digest('hex').slice(0, 16);
}

export default defineConfig(() => {
  const files = precacheList();
  if (!files.includes('index.html')) throw new Error('build the app first: dist/index.html is missing');
  return {
    publicDir: false,
    define: {
      __PRECACHE__: JSON.stringify(files),
      __CACHE_VERSION__: JSON.stringify(versionOf(files)),
    },
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      target: 'es2020',
      minify: true,
      lib: {
        entry: 'src/sw.js',
        formats: ['iife'],
        name: 'votingServiceWorker',
        fileName: () => 'sw.js',
      },
    },
  };
});
