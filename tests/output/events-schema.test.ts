/**
 * The run record's JSON Schema (schema/events.schema.json, shipped in the
 * package) against the events real runs produce: playbooks on the local
 * connection that between them make every event type, each line checked
 * with ajv. (Every other --json or --log run in the suite is checked too:
 * .taprc sets TSPLAY_VALIDATE_EVENTS=1, which makes the record writer
 * itself validate each line and throw on a mismatch.)
 */
import t, { type Test } from 'tap';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runPlaybook } from '../../lib/engine/run.js';
import { createRunRecord, DIFF_LIMIT, jsonReporter, runIdentity, SCHEMA_VERSION } from '../../lib/output/json.js';
import { eventValidator } from '../../lib/output/validate-events.js';
import { eventsSchema, packageRoot } from '../../lib/output/package-files.js';
import { project } from '../engine/helpers.js';

const validate = eventValidator();
const seen = new Map<string, number>();

/** Validates every line of a record; returns the parsed lines. */
function check(t: Test, text: string, name: string): Record<string, unknown>[] {
  const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const bad: string[] = [];
  lines.forEach((l, i) => {
    seen.set(l.type as string, (seen.get(l.type as string) ?? 0) + 1);
    const problem = validate(l);
    if (problem) bad.push(`line ${i + 1} (${String(l.type)}): ${problem}`);
  });
  t.same(bad, [], `${name}: all ${lines.length} lines match the schema`);
  t.equal(lines[0]?.type, 'run_start', `${name}: starts with run_start`);
  t.equal(lines.at(-1)?.type, 'run_end', `${name}: ends with run_end`);
  t.same(
    lines.map((l) => l.seq),
    lines.map((_, i) => i + 1),
    `${name}: seq counts the lines`,
  );
  t.equal(new Set(lines.map((l) => l.run)).size, 1, `${name}: one run id on every line`);
  return lines;
}

async function record(t: Test, name: string, files: Record<string, string>, opts: { playbooks?: string[]; check?: boolean; diff?: boolean; verbosity?: number; limit?: string; extraVars?: Record<string, unknown> } = {}) {
  const dir = project(files);
  let text = '';
  // validate: false here, so a mismatch is reported by check() with every bad line rather than thrown at the first.
  const r = await runPlaybook({
    playbooks: (opts.playbooks ?? ['site.yml']).map((p) => path.join(dir, p)),
    inventory: [path.join(dir, 'hosts')],
    check: opts.check,
    diff: opts.diff,
    verbosity: opts.verbosity,
    limit: opts.limit,
    extraVars: opts.extraVars,
    reporters: [jsonReporter((s) => (text += s), { validate: false })],
  });
  return { dir, exitCode: r.exitCode, lines: check(t, text, name) };
}

const hosts = 'a ansible_connection=local\nb ansible_connection=local\nz ansible_host=127.0.0.1 ansible_port=1 ansible_connection=ssh ansible_ssh_timeout=2\n\n[g]\na\nb\n';

t.test('the schema is shipped and compiles', async (t) => {
  const pkg = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { files: string[] };
  t.ok(pkg.files.includes('schema'), 'package.json ships schema/');
  const schema = eventsSchema();
  t.equal(schema.$id, `https://tsplay.dev/schema/events-${SCHEMA_VERSION}.json`, 'versioned id');
  const docs = readFileSync(path.join(packageRoot(), 'docs/events.md'), 'utf8');
  const types = (schema.oneOf as { properties: { type: { const: string } } }[]).map((s) => s.properties.type.const);
  for (const type of types) t.match(docs, `\`${type}\``, `docs/events.md describes ${type}`);
});

t.test('a run with most kinds of task', async (t) => {
  const { lines, dir } = await record(
    t,
    'everyday',
    {
      hosts,
      'tasks.yml': '- debug: msg="included for {{ inventory_hostname }}"\n',
      'site.yml': `
- hosts: g
  gather_facts: false
  tasks:
    - name: write a file
      copy:
        dest: "{{ playbook_dir }}/out-{{ inventory_hostname }}.txt"
        content: "hello {{ inventory_hostname }}\\n"
      notify: said
    - name: a probe that really runs in check mode
      command: echo probe
      check_mode: false
      changed_when: false
    - name: a command
      command: echo hi
    - debug: msg="{{ item }}"
      loop: [one, two]
    - include_tasks: tasks.yml
    - name: retried
      command: echo x
      register: r
      until: r.rc == 1
      retries: 1
      delay: 0
      check_mode: false
      ignore_errors: true
      when: inventory_hostname == 'a'
    - name: secret
      debug: msg=SECRETWORD
      no_log: true
    - block:
        - fail: msg=boom
          when: inventory_hostname == 'b'
      rescue:
        - debug: msg=rescued
    - name: '{{ "{{ templated }}" }}'
      debug: msg=x
      when: "{{ true }}"
  handlers:
    - name: said
      debug: msg=handled
- hosts: nothing_here
  tasks: []
- hosts: z
  gather_facts: false
  tasks:
    - command: "true"
`,
    },
    { check: true, diff: true, verbosity: 1 },
  );
  const results = lines.filter((l) => l.type === 'host_result');
  const tasks = new Map(lines.filter((l) => l.type === 'task_start').map((l) => [l.id, l]));
  t.ok(results.every((r) => tasks.has(r.taskId) && (tasks.get(r.taskId) as { playId: string }).playId === r.playId), 'each result names its task and play');
  const real = new Set(['a probe that really runs in check mode', 'retried']);
  t.ok(results.every((r) => r.mode === 'predicted' || real.has(r.task as string)), 'results of --check are predictions');
  t.ok(results.filter((r) => r.task === 'a probe that really runs in check mode').every((r) => r.mode === 'applied'), 'check_mode: false says applied');
  const file = results.find((r) => r.host === 'a' && r.task === 'write a file') as { files: { path: string; before: { sha256: string }; after: { sha256: string; size: number }; diff: string }[]; pos: { line: number } };
  t.match(file.files[0], { path: path.join(dir, 'out-a.txt'), after: { size: 8 } }, 'the file, its size');
  t.match(file.files[0].diff, '+hello a', 'and its diff');
  t.equal(file.pos.line, 5, 'the task position');
  t.notOk(JSON.stringify(results.find((r) => r.task === 'secret')).includes("SECRETWORD"), 'no_log hides the result');
});

t.test('two playbooks, real run, a large diff', async (t) => {
  const big = Array.from({ length: 20000 }, (_, i) => `line ${i}`).join('\n');
  const { lines } = await record(
    t,
    'two playbooks',
    {
      hosts,
      'one.yml': '- hosts: a\n  gather_facts: false\n  tasks:\n    - copy: { dest: "{{ playbook_dir }}/big.txt", content: "{{ big }}" }\n',
      'two.yml': '- hosts: a\n  gather_facts: false\n  tasks:\n    - debug: msg=two\n    - meta: end_play\n',
    },
    { playbooks: ['one.yml', 'two.yml'], extraVars: { big } },
  );
  t.same(
    lines.filter((l) => l.type === 'playbook_start' || l.type === 'playbook_end').map((l) => `${String(l.type)} ${String(l.index)}`),
    ['playbook_start 0', 'playbook_end 0', 'playbook_start 1', 'playbook_end 1'],
    'each playbook starts and ends',
  );
  const copy = lines.find((l) => l.type === 'host_result' && l.module === 'copy') as { mode: string; status: string; result: Record<string, unknown>; files?: { truncated?: boolean; diff: string; after: { size: number } }[] };
  t.equal(copy.mode, 'applied', 'a real run applies');
  if (copy.status === 'failed') t.fail(`copy failed: ${JSON.stringify(copy.result)}`);
  t.equal(copy.files?.[0]?.truncated, true, 'a large diff is cut');
  t.ok((copy.files?.[0]?.diff.length ?? 0) <= DIFF_LIMIT, `to at most ${DIFF_LIMIT} characters`);
  t.ok(copy.files![0].after.size > DIFF_LIMIT, 'the size is the whole file');
});

t.test('serial batches, a failure that ends the play, handlers not run', async (t) => {
  await record(t, 'serial', {
    hosts,
    'site.yml': `
- hosts: g
  gather_facts: false
  serial: 1
  tasks:
    - command: echo x
      notify: h
    - fail: msg=stop
  handlers:
    - name: h
      debug: msg=h
`,
  });
  await record(t, 'all fail', { hosts, 'site.yml': '- hosts: g\n  gather_facts: false\n  any_errors_fatal: true\n  tasks:\n    - fail: msg=x\n    - debug: msg=never\n' });
});

t.test('every event type of the schema was produced', async (t) => {
  const types = (eventsSchema().oneOf as { properties: { type: { const: string } } }[]).map((s) => s.properties.type.const);
  // `error` comes from the CLI (a load error): written here as the CLI writes it.
  let text = '';
  createRunRecord((s) => (text += s), { identity: runIdentity(['run', 'x.yml']), planned: { playbooks: ['x.yml'], check: false } }).error({ message: 'the playbook x.yml was not found', exitCode: 1 });
  check(t, text, 'a load error');
  // Events no built-in module or playbook here makes without a lab (a module's log line, a skipped handler), as a library user's engine would send them.
  text = '';
  const r = createRunRecord((s) => (text += s));
  r.reporter({ type: 'run_start', playbooks: [], inventory: [], check: false, diff: false, tags: [], skipTags: [], forks: 1, verbosity: 0, extraVars: [] });
  r.reporter({ type: 'play_start', name: 'p', hosts: ['h'] });
  r.reporter({ type: 'task_start', name: 'snapshot', kind: 'task', module: 'etcd_snapshot', hosts: ['h'] });
  r.reporter({ type: 'log', host: 'h', message: 'copied the db' });
  r.reporter({ type: 'handler_skipped', name: 'restart' });
  r.reporter({ type: 'run_end', exitCode: 0, durationMs: 1 });
  check(t, text, 'module log lines');
  const missing = types.filter((type) => !seen.has(type));
  t.same(missing, [], 'no event type is left unchecked');
});

t.test('the record writer validates itself when asked', async (t) => {
  const r = createRunRecord(() => {}, { validate: true });
  t.throws(() => r.reporter({ type: 'warning', message: 42 as unknown as string }), /does not match schema\/events.schema.json/, 'a line that does not match throws');
});

t.test('a log file is written 0600 and appended', async (t) => {
  const dir = project({ hosts, 'site.yml': '- hosts: a\n  gather_facts: false\n  tasks:\n    - debug: msg=x\n' });
  const { openLog } = await import('../../lib/output/log-file.js');
  const file = path.join(dir, 'run.log');
  for (let i = 0; i < 2; i++) {
    const log = openLog(file);
    await runPlaybook({ playbooks: [path.join(dir, 'site.yml')], inventory: [path.join(dir, 'hosts')], reporters: [jsonReporter(log.write)] });
    log.close();
  }
  t.equal(statSync(file).mode & 0o777, 0o600, 'mode 0600');
  const text = readFileSync(file, 'utf8');
  t.equal(text.split('\n').filter((l) => l.includes('"type":"run_start"')).length, 2, 'two runs, appended');
  writeFileSync(path.join(dir, 'x'), '');
});
