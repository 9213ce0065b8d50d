// Writes a webcrypto-votes.json vector file with the web client's own canonical JSON and signing code
// (src/lib/vectors.js), in the format shared-events/src/test/resources/vectors/webcrypto-votes.json has.
// Plain Node 20, no packages.  Usage: node scripts/make-webcrypto-votes.mjs [output file]   (stdout without one)
import { writeFile } from 'node:fs/promises';
import { makeVoteVectors } from '../src/lib/vectors.js';

const output = process.argv[2];
const vectors = await makeVoteVectors({
  description: `Votes made with Web Crypto by the web client's signing code (client-web/src/lib/vectors.js, Node `
    + `${process.versions.node}): directly issued ballot tokens and signed votes, per voting-api-v1.`,
});
const text = `${JSON.stringify(vectors, null, 2)}\n`;
if (output) {
  await writeFile(output, text);
  console.log(`wrote ${vectors.votes.length} votes to ${output}`);
} else {
  process.stdout.write(text);
}
