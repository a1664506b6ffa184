/**
 * Local modules beside a playbook: `import ... from 'tsplay'` resolves to the
 * running tsplay wherever the playbook lives (here a temp dir with no
 * node_modules), the name must match the file, and a bad module is the
 * user's error, naming the file, never "a bug in tsplay".
 */
import t from 'tap';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeError } from '../../lib/cli/report-error.js';
import { runPlaybook } from '../../lib/engine/run.js';
import { isTsplayError } from '../../lib/errors.js';
import type { RunEvent } from '../../lib/output/events.js';

function project(modules: Record<string, string>, tasks: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-local-mod-'));
  mkdirSync(join(dir, 'modules'));
  for (const [f, src] of Object.entries(modules)) writeFileSync(join(dir, 'modules', f), src);
  writeFileSync(join(dir, 'site.yml'), `- hosts: localhost\n  gather_facts: false\n  tasks:\n${tasks}`);
  return join(dir, 'site.yml');
}

const hello = (importFrom: string, name = 'hello') => `
import { defineModule, reads } from '${importFrom}';
export default defineModule({
  name: '${name}',
  description: 'Says hello with the host name.',
  examples: [],
  schema: { type: 'object', properties: { who: { type: 'string' } } },
  reads: () => [reads.command('hostname', (r) => r.stdout.trim())],
  async plan(args, { host }) {
    return { changed: false, result: { msg: 'hello ' + args.who + ' from ' + (await host.get(reads.command('hostname', (r) => r.stdout.trim()))) } };
  },
});
`;

async function run(pb: string) {
  const events: RunEvent[] = [];
  const r = await runPlaybook({ playbooks: [pb], inventory: [], reporters: [(e) => events.push(e)] });
  return { ...r, results: events.filter((e): e is Extract<RunEvent, { type: 'host_result' }> => e.type === 'host_result') };
}

for (const spec of ['tsplay', 'tsplay/module']) {
  t.test(`import from '${spec}' resolves to the running tsplay`, async (t) => {
    const r = await run(project({ 'hello.mjs': hello(spec) }, '    - hello: { who: world }\n'));
    t.equal(r.exitCode, 0, JSON.stringify(r.failures));
    t.match(r.results[0].result.msg, /^hello world from \S+/);
  });
}

async function loadError(pb: string) {
  const e = await run(pb).catch((err) => err);
  t.ok(isTsplayError(e), `a user error, got ${e}`);
  const { text, exitCode } = describeError(e, 0);
  t.notMatch(text, /bug in tsplay/);
  return { e, text, exitCode };
}

t.test('the name must match the file', async (t) => {
  const pb = project({ 'hello.js': hello('tsplay/module', 'greeting') }, '    - hello: {}\n');
  const { text, exitCode } = await loadError(pb);
  t.match(text, /the module file .*modules\/hello\.js declares the name 'greeting', but its file name says 'hello'/);
  t.match(text, /rename the file to greeting\.js/);
  t.equal(exitCode, 4);
});

t.test('a module that does not load is the user error, naming the file', async (t) => {
  const pb = project({ 'broken.js': 'export default {\n  name: "broken",,\n};\n' }, '    - broken: {}\n');
  const { text } = await loadError(pb);
  t.match(text, /the module file .*modules\/broken\.js could not be loaded: .*(Unexpected token|SyntaxError)/);
});

t.test('a file that is not a module, or imports what does not exist', async (t) => {
  const { text } = await loadError(project({ 'odd.js': 'export default { name: "odd" };\n' }, '    - odd: {}\n'));
  t.match(text, /modules\/odd\.js is not a module: module 'odd' has no plan\(\) function/);
  const { text: t2 } = await loadError(project({ 'imp.js': "import { nothing } from 'tsplay/module';\nexport default nothing;\n" }, '    - imp: {}\n'));
  t.match(t2, /modules\/imp\.js could not be loaded: .*nothing/);
});

t.test('a TypeScript module that was not built says how to build it', async (t) => {
  const { text } = await loadError(project({ 'typed.ts': 'export default {};\n' }, '    - typed: {}\n'));
  t.match(text, /module 'typed' is a TypeScript file \(.*modules\/typed\.ts\) that has not been built/);
  t.match(text, /compile it to typed\.js/);
});

t.test('a module that throws at run time is reported against its file', async (t) => {
  const pb = project(
    { 'thrower.js': "import { defineModule } from 'tsplay';\nexport default defineModule({ name: 'thrower', description: '', examples: [], schema: { type: 'object' }, async plan() { throw new TypeError('oops'); } });\n" },
    '    - thrower: {}\n',
  );
  const r = await run(pb);
  t.equal(r.exitCode, 2);
  t.match(r.failures[0].msg, /^MODULE FAILURE in module 'thrower' \(.*modules\/thrower\.js\): oops/);
});
