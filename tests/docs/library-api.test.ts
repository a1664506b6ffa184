/**
 * docs/library.md lists every event type, every runPlaybook option and every
 * RunResult field the code has: read from the sources, so a new one shows up
 * here until the page describes it.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './guide.js';

const page = readFileSync(join(REPO, 'docs/library.md'), 'utf8');
const src = (f: string) => readFileSync(join(REPO, f), 'utf8');

/** The first-column code names of the table under a heading. */
function tableNames(heading: string): string[] {
  const start = page.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no heading ${heading}`);
  const next = page.indexOf('\n## ', start + heading.length + 2);
  const section = page.slice(start, next < 0 ? undefined : next);
  const lines = section.split('\n');
  return lines
    .filter((l, i) => /^\| `/.test(l) && !/^\|-/.test(lines[i + 1] ?? '')) // not a header row
    .flatMap((l) => [...l.split('|')[1].matchAll(/`(\w+)`/g)].map((m) => m[1]));
}

/** Member names of an interface in a source file. */
function members(file: string, iface: string): string[] {
  const text = src(file);
  const start = text.indexOf(`export interface ${iface}`);
  const body = text.slice(text.indexOf('{', start) + 1, text.indexOf('\n}', start));
  return [...body.matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1]);
}

t.test('every event type', async (t) => {
  const text = src('lib/output/events.ts');
  const union = text.slice(text.indexOf('export type RunEvent ='), text.indexOf('export type Reporter'));
  const types = [...union.matchAll(/type: '(\w+)'/g)].map((m) => m[1]).sort();
  t.same(tableNames('## Events').sort(), types, 'docs/library.md, Events: one row per RunEvent type');
});

t.test('every runPlaybook option', async (t) => {
  const options = [...members('lib/engine/options.ts', 'RunOptions'), ...members('lib/engine/options.ts', 'PlaybookRunOptions')];
  const internal = new Set(['connectionFactory']); // replaces how connections are made: for tests of error paths
  const want = [...new Set(options.filter((o) => !internal.has(o)))].sort();
  const documented = tableNames('## runPlaybook(options)').filter((n) => options.includes(n));
  t.same([...new Set(documented)].sort(), want, 'docs/library.md, runPlaybook(options)');
});

t.test('every RunResult field', async (t) => {
  const fields = members('lib/engine/run.ts', 'RunResult').sort();
  const documented = tableNames('## runPlaybook(options)').filter((n) => fields.includes(n));
  t.same([...new Set(documented)].sort(), fields);
});
