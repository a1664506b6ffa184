// Counts the leaf test points of a TAP 14 log (a point whose body is not an
// indented subtest) and prints "N passed, N failed" as the last line.
// Usage: node .ci/count-tap.mjs tap.log
import { readFileSync } from 'node:fs';

const lines = readFileSync(process.argv[2], 'utf8').split('\n');
const indent = (l) => l.length - l.trimStart().length;
let passed = 0;
let failed = 0;
let skipped = 0;
let prev = null;
for (const line of lines) {
  if (!line.trim()) continue;
  const m = /^(\s*)(not ok|ok) \d+/.exec(line);
  // A subtest's summary point follows its own, more indented body: skip it.
  const isParent = m && prev !== null && indent(prev) > m[1].length;
  if (m && !isParent) {
    if (/#\s*(SKIP|TODO)\b/i.test(line)) skipped++;
    else if (m[2] === 'ok') passed++;
    else failed++;
  }
  if (!/^\s*(#|\.\.\.|---|1\.\.)/.test(line) || m) prev = line;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
