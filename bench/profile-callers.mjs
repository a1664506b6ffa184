#!/usr/bin/env node
// Who calls a function in a V8 .cpuprofile: self time of FUNCTION grouped by its callers' stacks.
// Usage: node bench/profile-callers.mjs <file.cpuprofile> <function name> [depth]
import { readFileSync } from 'node:fs';

const [file, name, depthArg] = process.argv.slice(2);
const depth = Number(depthArg ?? 10);
const p = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
p.samples.forEach((s, i) => self.set(s, (self.get(s) ?? 0) + (p.timeDeltas[i] ?? 0)));
const stacks = new Map();
for (const n of p.nodes) {
  if (n.callFrame.functionName !== name) continue;
  const chain = [];
  for (let id = parent.get(n.id), k = 0; id && k < depth; id = parent.get(id), k++) {
    const f = byId.get(id).callFrame;
    chain.push(`${f.functionName || '(anon)'}:${f.url.split('/').pop()}:${f.lineNumber + 1}`);
  }
  const key = chain.join(' < ');
  stacks.set(key, (stacks.get(key) ?? 0) + (self.get(n.id) ?? 0));
}
for (const [k, v] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`);
