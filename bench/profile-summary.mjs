#!/usr/bin/env node
// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by file.
// Usage: node bench/profile-summary.mjs <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';

const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const top = Number(process.argv[3] ?? 25);
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const selfFn = new Map();
const selfFile = new Map();
let total = 0;
p.samples.forEach((s, i) => {
  const n = byId.get(s);
  const dt = p.timeDeltas[i] ?? 0;
  total += dt;
  const f = n.callFrame;
  const file = (f.url || '(native)').replace(/^file:\/\/.*?\/(node_modules|dist)\//, '$1/');
  const fn = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
  selfFn.set(fn, (selfFn.get(fn) ?? 0) + dt);
  selfFile.set(file, (selfFile.get(file) ?? 0) + dt);
});
const show = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => `${(v / 1000).toFixed(0).padStart(6)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`).join('\n');
console.log(`total ${(total / 1000).toFixed(0)} ms sampled\n\nself time by file:\n${show(selfFile)}\n\nself time by function:\n${show(selfFn)}`);
