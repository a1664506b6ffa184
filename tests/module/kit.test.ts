/**
 * The module kit through the engine: plan() cannot write, reads are batched
 * and cached per host until a change, apply() is checked against plan(),
 * errors take one path to results, runPlaybook takes modules and data.
 */
import t from 'tap';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from '../../lib/connection/factory.js';
import type { Connection, ExecOptions } from '../../lib/connection/types.js';
import { runPlaybook } from '../../lib/engine/run.js';
import { defineModule, fileDiff, ModuleError, reads, type ModuleDefinition } from '../../lib/module/kit.js';
import type { RunEvent } from '../../lib/output/events.js';
import { testModule } from '../../lib/testing/index.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'tsplay-kit-'));
const local = { all: { hosts: { h1: { ansible_connection: 'local' } } } };

/** Runs tasks on h1 (local), counting exec calls. */
async function run(modules: ModuleDefinition[], tasks: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  const events: RunEvent[] = [];
  let execs = 0;
  const commands: string[] = [];
  const r = await runPlaybook({
    modules,
    inventory: local,
    playbook: { plays: [{ hosts: 'all', gather_facts: false, tasks }] },
    reporters: [(e) => events.push(e)],
    connectionFactory: (h, v, o) => {
      const c = createConnection(h, v, o);
      const exec = c.exec.bind(c);
      (c as Connection).exec = (cmd: string, opts?: ExecOptions) => {
        execs++;
        commands.push(cmd);
        return exec(cmd, opts);
      };
      return c;
    },
    ...extra,
  });
  const results = events.filter((e): e is Extract<RunEvent, { type: 'host_result' }> => e.type === 'host_result');
  return { ...r, events, results, execs: () => execs, commands };
}

interface LineArgs {
  path: string;
  line: string;
}

const ensureLine = defineModule<LineArgs, string>({
  name: 'ensure_line',
  description: 'Adds a line to a file unless present.',
  examples: [],
  schema: { type: 'object', additionalProperties: false, required: ['path', 'line'], properties: { path: { type: 'string' }, line: { type: 'string' } } },
  reads: (a) => [reads.file(a.path)],
  async plan(a, { host }) {
    const f = await host.read(a.path);
    const before = f.text ?? '';
    if (before.split('\n').includes(a.line)) return { changed: false };
    const after = `${before}${a.line}\n`;
    return { changed: true, diff: [fileDiff(a.path, before, after)], state: after };
  },
  async apply(a, { host }, plan) {
    await host.write(a.path, plan.state!);
    return { changed: true };
  },
});

t.test('declared reads: one round trip per task, cached per host until a change', async (t) => {
  const d = scratch();
  const p = join(d, 'f');
  writeFileSync(p, 'a\n');
  const r = await run([ensureLine], [
    { ensure_line: { path: p, line: 'a' } }, // read: 1 exec
    { ensure_line: { path: p, line: 'a' } }, // cached: 0
    { ensure_line: { path: p, line: 'b' } }, // cached read, write: 1 exec
    { ensure_line: { path: p, line: 'b' } }, // the file as just written, with the stat the write reported: 0
    { ensure_line: { path: p, line: 'c' } }, // the same, then a write: 1 exec
    { command: 'true' }, // a command may change anything: the cache goes (1 exec)
    { ensure_line: { path: p, line: 'c' } }, // read again: 1 exec
  ]);
  t.equal(r.exitCode, 0);
  t.same(r.results.map((x) => x.status), ['ok', 'ok', 'changed', 'ok', 'changed', 'changed', 'ok']);
  t.equal(r.execs(), 5, 'five round trips for seven tasks');
  t.equal(readFileSync(p, 'utf8'), 'a\nb\nc\n');
});

t.test('after an edit, the file a later task reads from the cache is the file a fresh read gives', async (t) => {
  const d = scratch();
  const p = join(d, 'f');
  writeFileSync(p, 'a\n', { mode: 0o640 });
  const peek = defineModule<{ path: string }>({
    name: 'peek',
    description: '',
    examples: [],
    schema: { type: 'object' },
    reads: (a) => [reads.file(a.path)],
    async plan(a, { host }) {
      const f = await host.read(a.path);
      return { changed: false, result: { text: f.text, stat: f.stat } };
    },
  });
  const r = await run([ensureLine, peek], [
    { ensure_line: { path: p, line: 'b' } },
    { peek: { path: p } }, // from the cache
    { command: 'true' },
    { peek: { path: p } }, // from the host
  ]);
  t.equal(r.exitCode, 0);
  const [cached, fresh] = [r.results[1].result, r.results[3].result];
  t.equal(cached.text, 'a\nb\n', 'the content written');
  t.same(cached, fresh, 'content and stat (type, mode, owner, size, mtime) as the host reports them');
  t.equal((fresh.stat as { mode: number }).mode, 0o640, 'the mode kept');
  t.equal(r.execs(), 4, 'read, write, command, the fresh read: the cached read cost nothing');
});

t.test('several declared reads go in one round trip', async (t) => {
  const d = scratch();
  writeFileSync(join(d, 'x'), 'X');
  const three = defineModule<{ dir: string }>({
    name: 'three',
    description: '',
    examples: [],
    schema: { type: 'object' },
    reads: (a) => [reads.file(`${a.dir}/x`), reads.stat(`${a.dir}/y`), reads.command('echo hi', (r) => r.stdout.trim())],
    async plan(a, { host }) {
      const [x, y, hi] = await host.getAll([reads.file(`${a.dir}/x`), reads.stat(`${a.dir}/y`), reads.command('echo hi', (r) => r.stdout.trim())]);
      return { changed: false, result: { x: x.text, y, hi } };
    },
  });
  const r = await run([three], [{ three: { dir: d } }]);
  t.match(r.results[0].result, { x: 'X', y: null, hi: 'hi' });
  t.equal(r.execs(), 1);
});

t.test('a write from plan() is an engine error, and nothing is written', async (t) => {
  const d = scratch();
  const sneaky = defineModule({
    name: 'sneaky',
    description: '',
    examples: [],
    schema: { type: 'object' },
    async plan(_a, { host }) {
      await (host as unknown as { write(p: string, c: string): Promise<unknown> }).write(join(d, 'x'), 'x');
      return { changed: false };
    },
  });
  const r = await run([sneaky], [{ sneaky: {} }]);
  t.equal(r.exitCode, 2);
  t.match(r.failures[0], { host: 'h1', status: 'failed', msg: /module 'sneaky' tried to write .* from plan\(\); plan\(\) may only read/ });
  t.same(require_exists(join(d, 'x')), false);
});

function require_exists(p: string): boolean {
  try {
    readFileSync(p);
    return true;
  } catch {
    return false;
  }
}

const liar = defineModule<{ path: string }>({
  name: 'liar',
  description: 'Predicts no change, then writes.',
  examples: [],
  schema: { type: 'object' },
  async plan() {
    return { changed: true, diff: [] };
  },
  async apply(a, { host }) {
    await host.write(a.path, 'surprise');
    return { changed: true };
  },
});

t.test('apply() doing what plan() did not predict: a warning in runs, a failure in the tester', async (t) => {
  const d = scratch();
  const r = await run([liar], [{ liar: { path: join(d, 'f') } }]);
  t.equal(r.exitCode, 0);
  t.match(r.warnings, [/module 'liar' on h1: apply\(\) changed .*\/f which plan\(\) did not predict/]);
  const strict = await run([liar], [{ liar: { path: join(d, 'g') } }], { predictions: 'fail' });
  t.equal(strict.exitCode, 2);
  const reports = await testModule(liar, [{ name: 'writes a file', args: { path: '{{ test_dir }}/f' }, plan: { changed: true } }]);
  t.match(reports[0].problems.join('\n'), /apply: expected changed, got failed \(module 'liar'.*did not predict/);
});

t.test('the tester catches check mode changing the host, a wrong plan, a wrong end state, a second change', async (t) => {
  const careless = defineModule<{ path: string }>({
    name: 'careless',
    description: 'Writes even in check mode.',
    examples: [],
    schema: { type: 'object' },
    checkMode: 'always',
    async plan(a) {
      return { changed: true, diff: [fileDiff(a.path, '', 'now')] };
    },
    async apply(a, { host }) {
      await host.write(a.path, String(Date.now()));
      return { changed: true };
    },
  });
  const [r] = await testModule(careless, [{ name: 'c', args: { path: '{{ test_dir }}/f' }, plan: { changed: false }, expect: { f: 'x' } }]);
  const text = r.problems.join('\n');
  t.match(text, /check mode changed the host/);
  t.match(text, /check mode: expected ok, got changed/);
  t.match(text, /end state: f holds/);
  t.match(text, /a second run changed the host again/);
  const good = await testModule(ensureLine, [
    {
      name: 'adds the line',
      files: { motd: 'hello\n' },
      args: { path: '{{ test_dir }}/motd', line: 'managed' },
      plan: { changed: true },
      diff: [{ path: 'motd', before: 'hello\n', after: 'hello\nmanaged\n' }],
      expect: { motd: { content: 'hello\nmanaged\n', mode: 0o644 } },
    },
    { name: 'already there', files: { motd: 'managed\n' }, args: { path: '{{ test_dir }}/motd', line: 'managed' }, plan: { changed: false }, diff: [] },
  ]);
  t.same(good.map((g) => g.problems), [[], []]);
});

t.test('one outcome path: ModuleError is the module speaking, anything else is a module bug', async (t) => {
  const speaks = defineModule({
    name: 'speaks',
    description: '',
    examples: [],
    schema: { type: 'object' },
    async plan() {
      throw new ModuleError('refusing: 2 of 3 healthy', { result: { healthy: 2 } });
    },
  });
  const buggy = defineModule({
    name: 'buggy',
    description: '',
    examples: [],
    schema: { type: 'object' },
    async plan() {
      return (undefined as unknown as { x: { y: number } }).x as never;
    },
  });
  const r = await run([speaks, buggy], [{ speaks: {}, ignore_errors: true }, { buggy: {} }]);
  t.match(r.results[0].result, { msg: 'refusing: 2 of 3 healthy', healthy: 2 });
  t.match(r.results[1].result.msg, /^MODULE FAILURE in module 'buggy': Cannot read properties of undefined/);
  t.same(r.failures.map((f) => f.task), ['buggy'], 'ignored failures are not failures of the run');
});

t.test('typed diff and delegated_to reach the events, not the registered result', async (t) => {
  const d = scratch();
  const p = join(d, 'f');
  const r = await run([ensureLine], [{ ensure_line: { path: p, line: 'x' }, delegate_to: 'localhost', register: 'reg' }, { debug: { var: 'reg' } }], { diff: true, check: true });
  t.equal(r.results[0].delegatedTo, 'localhost');
  t.match(r.results[0].diff, [{ path: p, before: '', after: 'x\n' }]);
  const reg = r.results[1].result.reg as Record<string, unknown>;
  t.same(Object.keys(reg).filter((k) => k.startsWith('_tsplay')), []);
});

t.test('the task timeout stops the command on the host', async (t) => {
  const marker = `${Date.now()}`;
  const r = await run([], [{ shell: `sleep 30; echo ${marker}`, timeout: 1 }]);
  t.equal(r.exitCode, 2);
  t.match(r.failures[0].msg, /timed out after 1 s/);
});

t.test('runPlaybook: data in, stats and failures out', async (t) => {
  const r = await runPlaybook({
    inventory: { all: { hosts: { a: { ansible_connection: 'local' }, b: { ansible_connection: 'local', bad: true } } } },
    playbook: { plays: [{ hosts: 'all', gather_facts: false, tasks: [{ name: 'may fail', fail: { msg: 'b is bad' }, when: 'bad | default(false)' }, { debug: { msg: 'hi' } }] }] },
  });
  t.equal(r.exitCode, 2);
  t.match(r.stats, { a: { ok: 1, failed: 0, skipped: 1 }, b: { failed: 1 } });
  t.same(r.failures.map((f) => [f.host, f.task, f.msg, f.status]), [['b', 'may fail', 'b is bad', 'failed']]);
  await t.rejects(runPlaybook({ inventory: local }), /no playbook given/);
  await t.rejects(runPlaybook({ modules: [{ name: 'x' } as never], playbook: { plays: [] } }), /not valid: module 'x' has no plan\(\) function/);
});
