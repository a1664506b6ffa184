/**
 * `tsplay audit` as an auditor uses it: keep a check run's record and the
 * real run's record of the same playbook (local connection, files in a temp
 * dir), then ask what would change and where the outcome differs.
 */
import t, { type Test } from 'tap';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { main, type Io } from '../../lib/cli/main.js';
import { createRunRecord, runIdentity } from '../../lib/output/json.js';
import { project } from '../engine/helpers.js';

async function tsplay(args: string[], opts: { isTTY?: boolean } = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (s) => (out += s), err: (s) => (err += s), isTTY: !!opts.isTTY };
  const code = await main(args, io);
  return { code, out, err };
}

const PLAY = `
- hosts: all
  gather_facts: false
  tasks:
    - name: motd
      copy:
        dest: "{{ dir }}/motd-{{ inventory_hostname }}"
        content: "managed {{ inventory_hostname }}\\n"
    - name: config line
      lineinfile:
        path: "{{ dir }}/app.conf"
        line: "port=8080"
      when: inventory_hostname == 'a'
    - name: restart (cannot be predicted)
      command: "true"
    - name: look
      command: cat {{ dir }}/app.conf
      check_mode: false
      changed_when: false
      when: inventory_hostname == 'a'
`;

function setup() {
  const dir = project({ hosts: 'a ansible_connection=local\nb ansible_connection=local\n', 'site.yml': PLAY, 'app.conf': 'name=x\n' });
  const run = async (log: string, ...extra: string[]) => tsplay(['run', path.join(dir, 'site.yml'), '-i', path.join(dir, 'hosts'), '-e', `dir=${dir}`, '--log', path.join(dir, log), ...extra]);
  return { dir, run };
}

function expectExit(t: Test, r: { code: number; out: string; err: string }, code: number, what: string) {
  t.equal(r.code, code, `${what}: exit ${code}${r.code !== code ? `\n${r.out}\n${r.err}` : ''}`);
}

t.test('a check run, then the real run as predicted', async (t) => {
  const { dir, run } = setup();
  const check = await run('check.jsonl', '--check');
  expectExit(t, check, 0, 'the check run');
  t.match(check.out, 'PLAY RECAP', 'the terminal shows the normal view');
  t.notMatch(check.out, '"type":', 'and no JSON');
  t.equal(statSync(path.join(dir, 'check.jsonl')).mode & 0o777, 0o600, 'the record is created 0600');
  t.equal(readFileSync(path.join(dir, 'app.conf'), 'utf8'), 'name=x\n', 'the check changed nothing');

  const summary = await tsplay(['audit', path.join(dir, 'check.jsonl')]);
  expectExit(t, summary, 0, 'a check record alone');
  t.match(summary.out, /Check run: .*check\.jsonl, run [0-9a-f-]{36}/, 'names the record and the run');
  t.match(summary.out, /check mode by \S+@\S+ at \d{4}-\d\d-\d\dT.*Z, tsplay /, 'who, where, when');
  t.match(summary.out, /tsplay run \S+site\.yml -i \S+hosts -e dir=\S+ --log \S+check\.jsonl --check/, 'the command line');
  t.match(summary.out, 'Would change: 3 file(s), 0 unit(s), 0 etcd member change(s), 0 other change(s) on 2 host(s).');
  t.match(summary.out, `file ${dir}/motd-a: would be created (0 → 10 bytes`, 'per file');
  t.match(summary.out, `file ${dir}/app.conf: would be changed (7 → 17 bytes`, 'an edit');
  t.match(summary.out, /task "config line" \[lineinfile\] at .*site\.yml:9/, 'the task and its file:line');
  t.match(summary.out, /cannot predict: task "restart \(cannot be predicted\)" \[command\]/, 'what check mode cannot tell');

  const real = await run('real.jsonl');
  expectExit(t, real, 0, 'the real run');
  const cmp = await tsplay(['audit', path.join(dir, 'check.jsonl'), path.join(dir, 'real.jsonl')]);
  expectExit(t, cmp, 0, 'as predicted');
  t.match(cmp.out, /Prediction: .*check\.jsonl/);
  t.match(cmp.out, /Outcome: .*real\.jsonl/);
  t.match(cmp.out, /\d+ result\(s\) compared: \d+ as predicted, 0 difference\(s\); 2 could not be predicted\./);
  t.match(cmp.out, 'The real run changed what the check run predicted, and nothing else.');
  t.match(cmp.out, /NOT PREDICTABLE[\s\S]*a: task "restart \(cannot be predicted\)".*could not be predicted; the real run: changed/);
});

t.test('the real run differs: a file edited in between, a task that changed course', async (t) => {
  const { dir, run } = setup();
  expectExit(t, await run('check.jsonl', '--check'), 0, 'the check run');
  // Someone edits the file between the audit and the real run.
  writeFileSync(path.join(dir, 'app.conf'), 'name=y\n');
  writeFileSync(path.join(dir, 'motd-b'), 'managed b\n');
  expectExit(t, await run('real.jsonl'), 0, 'the real run');
  const cmp = await tsplay(['audit', path.join(dir, 'check.jsonl'), path.join(dir, 'real.jsonl')]);
  expectExit(t, cmp, 3, 'differs');
  t.match(cmp.out, 'WHERE THE OUTCOME DIFFERS FROM THE PREDICTION');
  t.match(cmp.out, `file ${dir}/app.conf: it changed on the host between the two runs`, 'the edited file');
  t.match(cmp.out, `file ${dir}/app.conf: predicted content sha256`, 'and its new content differs from the prediction');
  t.match(cmp.out, /b\n {2}predicted changed, the real run: no change\n {6}task "motd" \[copy\] at .*site\.yml:5; check .*check\.jsonl:\d+, real .*real\.jsonl:\d+/, 'a predicted change that did not happen, with both records\' lines');
});

t.test('a task with check_mode: false that changed a host under --check is shown as applied', async (t) => {
  const dir = project({ hosts: 'a ansible_connection=local\n', 'site.yml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: really\n      copy: { dest: "${'{{'} dir ${'}}'}/real", content: "x" }\n      check_mode: false\n` });
  const r = await tsplay(['run', path.join(dir, 'site.yml'), '-i', path.join(dir, 'hosts'), '-e', `dir=${dir}`, '--check', '--json']);
  expectExit(t, r, 0, 'the check run');
  const result = r.out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).find((e) => e.type === 'host_result');
  t.match(result, { mode: 'applied', status: 'changed', task: 'really' }, 'the record says applied');
  writeFileSync(path.join(dir, 'check.jsonl'), r.out);
  const s = await tsplay(['audit', path.join(dir, 'check.jsonl')]);
  t.match(s.out, `REALLY CHANGED during the check run (check_mode: false): file ${dir}/real: was created`);
});

t.test('units and etcd members are summarised by name', async (t) => {
  let text = '';
  const rec = createRunRecord((s) => (text += s), { identity: runIdentity(['run', 'restore.yml', '--check']) });
  const pos = { file: '/p/restore.yml', line: 10, col: 7 };
  rec.reporter({ type: 'run_start', playbooks: ['/p/restore.yml'], inventory: ['hosts'], check: true, diff: false, tags: [], skipTags: [], forks: 20, verbosity: 0, extraVars: [] });
  rec.reporter({ type: 'playbook_start', file: '/p/restore.yml', check: true, index: 0 });
  rec.reporter({ type: 'play_start', name: 'restore', hosts: ['master-0'] });
  rec.reporter({ type: 'task_start', name: 'Start etcd', kind: 'task', module: 'systemd', pos, hosts: ['master-0'] });
  rec.reporter({ type: 'host_result', host: 'master-0', status: 'changed', result: { changed: true, name: 'etcd', state: 'started', msg: 'systemctl start etcd' }, verbose: false, check: true });
  rec.reporter({ type: 'task_start', name: 'Add master-2', kind: 'task', module: 'etcd_member', pos: { ...pos, line: 20 }, hosts: ['master-0'] });
  rec.reporter({ type: 'host_result', host: 'master-0', status: 'changed', result: { changed: true, msg: 'would add member master-2 (https://10.0.0.3:2380)', name: 'master-2' }, verbose: false, check: true });
  rec.reporter({ type: 'run_end', exitCode: 0, durationMs: 5 });
  const dir = project({ 'check.jsonl': text });
  const s = await tsplay(['audit', path.join(dir, 'check.jsonl')]);
  expectExit(t, s, 0, 'summary');
  t.match(s.out, 'Would change: 0 file(s), 1 unit(s), 1 etcd member change(s), 0 other change(s) on 1 host(s).');
  t.match(s.out, 'unit etcd: systemctl start etcd');
  t.match(s.out, 'etcd member master-2: would add member master-2 (https://10.0.0.3:2380)');
});

t.test('bad records: one paragraph naming file:line', async (t) => {
  const { dir, run } = setup();
  expectExit(t, await run('check.jsonl', '--check'), 0, 'the check run');
  const good = readFileSync(path.join(dir, 'check.jsonl'), 'utf8').split('\n');
  writeFileSync(path.join(dir, 'cut.jsonl'), [...good.slice(0, 3), good[3].slice(0, 20)].join('\n'));
  let r = await tsplay(['audit', path.join(dir, 'cut.jsonl')]);
  expectExit(t, r, 4, 'a cut line');
  t.match(r.err, `ERROR! ${dir}/cut.jsonl:4: line is not JSON`, 'names file:line');
  t.equal(r.err.trim().split('\n\n').length, 2, 'one paragraph, and what to do');
  writeFileSync(path.join(dir, 'odd.jsonl'), [good[0], JSON.stringify({ ...JSON.parse(good[1]), type: 'mystery' })].join('\n'));
  r = await tsplay(['audit', path.join(dir, 'odd.jsonl')]);
  expectExit(t, r, 4, 'an unknown event');
  t.match(r.err, `odd.jsonl:2: the 'mystery' event does not match the record's schema: unknown event type 'mystery'`);
  writeFileSync(path.join(dir, 'v2.jsonl'), JSON.stringify({ ...JSON.parse(good[0]), schemaVersion: 2 }));
  r = await tsplay(['audit', path.join(dir, 'v2.jsonl')]);
  t.match(r.err, 'v2.jsonl:1: the record has schema version 2 and this tsplay reads version 1');
  r = await tsplay(['audit', path.join(dir, 'nothing.jsonl')]);
  expectExit(t, r, 1, 'a missing file');
  r = await tsplay(['audit', path.join(dir, 'check.jsonl'), path.join(dir, 'check.jsonl')]);
  expectExit(t, r, 2, 'two check records');
  t.match(r.err, 'is of a check run, not of a real run');
  r = await tsplay(['audit']);
  expectExit(t, r, 2, 'no record');
});

t.test('a log holds many runs; --log and --json of one run share its id; load errors are recorded', async (t) => {
  const { dir, run } = setup();
  const first = await run('all.jsonl', '--check', '--json');
  expectExit(t, first, 0, 'first');
  await run('all.jsonl', '--check');
  const lines = readFileSync(path.join(dir, 'all.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const ids = [...new Set(lines.map((l) => l.run))];
  t.equal(ids.length, 2, 'two runs in the file');
  t.equal((JSON.parse(first.out.split('\n')[0]) as { run: string }).run, ids[0], '--json and --log: the same run id');
  const untimed = (text: string) => text.trim().split('\n').map((l) => ({ ...(JSON.parse(l) as object), time: undefined }));
  const logged = readFileSync(path.join(dir, 'all.jsonl'), 'utf8').trim().split('\n').slice(0, first.out.trim().split('\n').length).join('\n');
  t.same(untimed(first.out), untimed(logged), 'and the same lines');
  const pick = await tsplay(['audit', path.join(dir, 'all.jsonl'), '--run', String(ids[0]).slice(0, 8)]);
  t.match(pick.out, `run ${String(ids[0])}`, '--run picks a run by id prefix');

  writeFileSync(path.join(dir, 'broken.yml'), '- hosts: all\n  tasks:\n    - debug:\n        msg: *nope\n');
  const bad = await tsplay(['run', path.join(dir, 'broken.yml'), '--log', path.join(dir, 'err.jsonl')]);
  t.equal(bad.code, 4, 'the load error exits 4');
  const err = readFileSync(path.join(dir, 'err.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  t.same(err.map((e) => e.type), ['run_start', 'error', 'run_end'], 'the record has the run, the error, its end');
  t.match(err[1], { message: /undefined alias|nope/, pos: { line: 4 } });

  const env = process.env.TSPLAY_LOG_PATH;
  process.env.TSPLAY_LOG_PATH = path.join(dir, 'env.jsonl');
  try {
    await run('cli.jsonl', '--check');
    await tsplay(['run', path.join(dir, 'site.yml'), '-i', path.join(dir, 'hosts'), '-e', `dir=${dir}`, '--check']);
  } finally {
    if (env === undefined) delete process.env.TSPLAY_LOG_PATH;
    else process.env.TSPLAY_LOG_PATH = env;
  }
  t.equal(readFileSync(path.join(dir, 'env.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"run_start"')).length, 1, 'TSPLAY_LOG_PATH records a run; --log wins over it');
  chmodSync(dir, 0o755);
});

t.test('no secret reaches the record', async (t) => {
  const dir = project({
    hosts: 'a ansible_connection=local ansible_become_password=HOSTPASSWORD1\n',
    'site.yml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - copy: { dest: "${'{{'} dir ${'}}'}/secret.conf", content: "token=NOLOGSECRET2\\n" }\n      no_log: true\n    - copy: { dest: "${'{{'} dir ${'}}'}/pw.conf", content: "pw=${'{{'} ansible_become_password ${'}}'}\\n" }\n    - debug: msg="${'{{'} ansible_become_password ${'}}'}"\n`,
  });
  const r = await tsplay(['run', path.join(dir, 'site.yml'), '-i', path.join(dir, 'hosts'), '-e', `dir=${dir}`, '--log', path.join(dir, 'r.jsonl'), '--diff', '-vvv']);
  expectExit(t, r, 0, 'the run');
  const text = readFileSync(path.join(dir, 'r.jsonl'), 'utf8');
  t.notMatch(text, 'HOSTPASSWORD1', 'no inventory password in the record');
  t.notMatch(text, 'NOLOGSECRET2', 'no no_log content');
  t.notMatch(r.out + r.err, /HOSTPASSWORD1|NOLOGSECRET2/, 'nor on the terminal at -vvv');
  t.match(text, 'pw=********', 'the password is masked in the diff');
  t.equal(readFileSync(path.join(dir, 'pw.conf'), 'utf8'), 'pw=HOSTPASSWORD1\n', 'while the file has it');
});

t.test('the command line keeps no password given with -e', async (t) => {
  const { recordedCommandLine } = await import('../../lib/output/json.js');
  t.same(
    recordedCommandLine(['run', 'x.yml', '-e', 'master=master-2 db_password=hunter2', '--extra-vars={"api_token": "abc"}', '-e', '@vars.yml', '-eansible_become_pass=s3']),
    ['run', 'x.yml', '-e', 'master=master-2 db_password=********', '--extra-vars=********', '-e', '@vars.yml', '-eansible_become_pass=********'],
  );
});

t.test('two edits of one file in a run: the second prediction is explained, not blamed on the host', async (t) => {
  const dir = project({
    hosts: 'a ansible_connection=local\n',
    'f.conf': 'x=1\n',
    'site.yml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: lines\n      lineinfile: { path: "${'{{'} dir ${'}}'}/f.conf", line: "${'{{'} item ${'}}'}" }\n      loop: [y=2, z=3]\n`,
  });
  const run = (log: string, ...extra: string[]) => tsplay(['run', path.join(dir, 'site.yml'), '-i', path.join(dir, 'hosts'), '-e', `dir=${dir}`, '--log', path.join(dir, log), ...extra]);
  expectExit(t, await run('check.jsonl', '--check'), 0, 'check');
  expectExit(t, await run('real.jsonl'), 0, 'real');
  const cmp = await tsplay(['audit', path.join(dir, 'check.jsonl'), path.join(dir, 'real.jsonl')]);
  expectExit(t, cmp, 3, 'the second edit differs from its prediction');
  t.match(cmp.out, /task "lines" \(item y=2\) \[lineinfile\] .* had changed it earlier in the real run; check mode, which writes nothing, predicted this edit from the file as it was before/);
  t.notMatch(cmp.out, 'it changed on the host between the two runs');
});
