import t from 'tap';
import { EventEmitter } from 'node:events';
import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtCli } from '../helpers/build.js';
import { createInkReporter } from '../../lib/output/ink/index.js';
import type { RunEvent } from '../../lib/output/events.js';
import { emptyStats } from '../../lib/output/events.js';

// ink decides once, when first loaded, whether it is in CI (then it never
// erases). The reporter is only used outside CI, so test that path.
const ciKeys = Object.keys(process.env).filter((k) => k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_'));
const childEnv = { ...process.env };
for (const k of ciKeys) {
  delete process.env[k];
  delete childEnv[k];
}
// tap asks its children for no colour; a person's terminal has it.
delete childEnv.NO_COLOR;
delete childEnv.FORCE_COLOR;

/** A terminal's stdout as ink sees it, recording what is written. */
class FakeTty extends EventEmitter {
  columns = 100;
  rows = 30;
  isTTY = true;
  written = '';
  write(s: string | Uint8Array, cb?: () => void): boolean {
    this.written += typeof s === 'string' ? s : Buffer.from(s).toString();
    if (typeof cb === 'function') cb();
    return true;
  }
}

/**
 * Replays what was written the way a terminal shows it, for the escape codes
 * ink uses: cursor up, erase line, column 0, clear screen. Colours are dropped.
 */
function screen(raw: string): string {
  const lines: string[] = [''];
  let row = 0;
  let col = 0;
  const put = (ch: string) => {
    while (lines.length <= row) lines.push('');
    const l = lines[row].padEnd(col);
    lines[row] = l.slice(0, col) + ch + l.slice(col + 1);
    col++;
  };
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '\x1b' && raw[i + 1] === '[') {
      const m = /^\x1b\[([?0-9;]*)([A-Za-z])/.exec(raw.slice(i));
      if (!m) continue;
      i += m[0].length - 1;
      const n = Number(m[1]) || 1;
      if (m[2] === 'A') row = Math.max(0, row - n);
      else if (m[2] === 'K') lines[row] = '';
      else if (m[2] === 'G') col = n - 1;
      else if (m[2] === 'J') lines.length = row = col = 0;
      else if (m[2] === 'H') row = col = 0;
      continue;
    }
    if (ch === '\n') {
      row++;
      col = 0;
      while (lines.length <= row) lines.push('');
    } else if (ch === '\r') col = 0;
    else put(ch);
  }
  return lines.map((l) => l.trimEnd()).join('\n');
}

const strip = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The screen once it shows `want`, or as it is after a generous wait (ink loads lazily). */
async function screenWith(tty: FakeTty, want: RegExp): Promise<string> {
  for (let waited = 0; waited < 10_000 && !want.test(screen(tty.written)); waited += 50) await sleep(50);
  return screen(tty.written);
}

const stats = (s: Partial<ReturnType<typeof emptyStats>>) => ({ ...emptyStats(), ...s });

t.test('a run drawn by the terminal UI', async (t) => {
  const tty = new FakeTty();
  const { reporter, done } = createInkReporter({ stdout: tty as unknown as NodeJS.WriteStream, verbosity: 0, diff: true, color: true });
  const emit = (e: RunEvent) => reporter(e);
  emit({ type: 'playbook_start', file: 'site.yml', check: false, index: 0 });
  emit({ type: 'play_start', name: 'Restore quorum', hosts: ['etcd-0', 'etcd-1', 'etcd-2'] });
  emit({ type: 'task_start', name: 'Write etcd.conf', kind: 'task', module: 'copy' });
  emit({
    type: 'host_result',
    host: 'etcd-0',
    status: 'changed',
    result: { changed: true },
    diff: [{ label: '/etc/etcd.conf', before: 'a=1\nb=2\n', after: 'a=1\nb=3\n' }],
    verbose: false,
  });
  let now = await screenWith(tty, /etcd-2 \ds/);
  t.match(now, /TASK \[Write etcd\.conf\] \*+/, 'the task banner');
  t.match(now, /changed: \[etcd-0\]/, 'a finished host');
  t.match(now, /^\+b=3$/m, 'its diff');
  t.match(now, /TASK \[Write etcd\.conf\] · PLAY \[Restore quorum\] · 1\/3 hosts done · \ds/, 'the live line names the play and task');
  t.match(now, /^ {2}\S etcd-1 \ds$/m, 'a live line for a host still working');
  t.match(now, /^ {2}\S etcd-2 \ds$/m);
  t.notMatch(now, /^ {2}\S etcd-0 /m, 'no live line for a finished host');
  t.match(tty.written, /\x1b\[(0;)?33mchanged: \[etcd-0\]/, 'changed in yellow');

  emit({ type: 'host_result', host: 'etcd-1', status: 'ok', result: { changed: false }, verbose: false });
  emit({
    type: 'host_result',
    host: 'etcd-2',
    status: 'failed',
    result: { changed: false, msg: 'etcdctl: context deadline exceeded', rc: 1 },
    verbose: true,
  });
  emit({ type: 'task_start', name: 'Restart etcd', kind: 'task', module: 'service' });
  emit({ type: 'host_result', host: 'etcd-0', status: 'skipped', result: { changed: false }, verbose: false });
  now = await screenWith(tty, /TASK \[Restart etcd\] ·/);
  t.match(now, /^ {2}\S etcd-1 \ds$/m, 'the next task waits for the hosts still in the play');
  t.notMatch(now, /^ {2}\S etcd-2 /m, 'but not for the one that failed');

  emit({ type: 'host_result', host: 'etcd-1', status: 'unreachable', result: { changed: false, msg: 'ssh: connect timed out', unreachable: true }, verbose: true });
  emit({
    type: 'recap',
    stats: {
      'etcd-0': stats({ ok: 1, changed: 1, skipped: 1 }),
      'etcd-1': stats({ ok: 1, unreachable: 1 }),
      'etcd-2': stats({ failed: 1 }),
    },
  });
  emit({ type: 'run_end', exitCode: 4, durationMs: 1200 });
  await done();

  const final = screen(tty.written);
  t.equal(
    final,
    [
      '',
      'PLAY [Restore quorum] **********************************************************',
      '',
      'TASK [Write etcd.conf] *********************************************************',
      '--- before: /etc/etcd.conf',
      '+++ after: /etc/etcd.conf',
      '@@ -1,2 +1,2 @@',
      ' a=1',
      '-b=2',
      '+b=3',
      'changed: [etcd-0]',
      'ok: [etcd-1]',
      'fatal: [etcd-2]: FAILED! => {"changed": false, "msg": "etcdctl: context deadline exceeded", "rc": 1}',
      '',
      'TASK [Restart etcd] ************************************************************',
      'skipping: [etcd-0]',
      'fatal: [etcd-1]: UNREACHABLE! => {"changed": false, "msg": "ssh: connect timed out", "unreachable": true}',
      '',
      'PLAY RECAP *********************************************************************',
      'etcd-0                     : ok=1    changed=1    unreachable=0    failed=0    skipped=1    rescued=0    ignored=0',
      'etcd-1                     : ok=1    changed=0    unreachable=1    failed=0    skipped=0    rescued=0    ignored=0',
      'etcd-2                     : ok=0    changed=0    unreachable=0    failed=1    skipped=0    rescued=0    ignored=0',
      '',
      '',
      '',
    ].join('\n'),
    'the final frame is the plain layout, long lines unbroken, no live lines left',
  );
  t.match(tty.written, /\x1b\[(0;)?31mfatal: \[etcd-2\]: FAILED!/, 'failures in red');
  t.match(tty.written, /\x1b\[(0;)?36mskipping: \[etcd-0\]/, 'skipped in cyan');
  t.match(tty.written, /\x1b\[(0;)?32mok=1   /, 'recap counts coloured');
  t.match(tty.written, /\x1b\[(0;)?31mfailed=1   /);
  t.match(tty.written, /\x1b\[(0;)?32m\+b=3/, 'diff additions in green');
  t.equal(tty.listenerCount('resize'), 0, 'unmounted');
});

t.test('redraws are throttled', async (t) => {
  const tty = new FakeTty();
  let writes = 0;
  const write = tty.write.bind(tty);
  tty.write = (s, cb) => {
    writes++;
    return write(s, cb);
  };
  const { reporter, done } = createInkReporter({ stdout: tty as unknown as NodeJS.WriteStream, verbosity: 0, diff: false });
  const hosts = Array.from({ length: 500 }, (_, i) => `web-${i}`);
  reporter({ type: 'play_start', name: 'Many', hosts });
  reporter({ type: 'task_start', name: 'Ping', kind: 'task', module: 'ping' });
  for (const h of hosts) reporter({ type: 'host_result', host: h, status: 'ok', result: { changed: false }, verbose: false });
  // Every result on screen (not a fixed wait): the throttled redraws have happened.
  t.match(await screenWith(tty, /ok: \[web-499\]/), /ok: \[web-499\]/, 'the last result was drawn');
  await done();
  t.ok(writes < 40, `500 results drew few frames (${writes} writes)`);
  const final = screen(tty.written);
  t.match(final, /ok: \[web-0\]\n[^]*ok: \[web-499\]/, 'every result is shown');
  t.notMatch(final, /hosts done/, 'no live line once done');
});

t.test('huge output is laid out within bounds and shown whole', async (t) => {
  const tty = new FakeTty();
  const { reporter, done } = createInkReporter({ stdout: tty as unknown as NodeJS.WriteStream, verbosity: 0, diff: false });
  const hosts = Array.from({ length: 300 }, (_, i) => `web-${i}`);
  const big = 'x'.repeat(200_000);
  const started = Date.now();
  reporter({ type: 'play_start', name: 'Big', hosts });
  reporter({ type: 'task_start', name: 'Dump', kind: 'task', module: 'shell' });
  for (const h of hosts.slice(1)) reporter({ type: 'host_result', host: h, status: 'ok', result: { changed: false }, verbose: false });
  reporter({ type: 'host_result', host: 'web-0', status: 'failed', result: { changed: false, rc: 1, stdout: big }, verbose: true });
  reporter({ type: 'run_end', exitCode: 2, durationMs: 1 });
  await done();
  t.ok(screen(tty.written).replace(/\n/g, '').includes(`"stdout": "${big}"`), 'the whole output, wrapped');
});

t.test('many waiting hosts fit in the terminal', async (t) => {
  const tty = new FakeTty();
  tty.rows = 10;
  const { reporter, done } = createInkReporter({ stdout: tty as unknown as NodeJS.WriteStream, verbosity: 0, diff: false });
  reporter({ type: 'play_start', name: 'Many', hosts: Array.from({ length: 50 }, (_, i) => `web-${i}`) });
  reporter({ type: 'task_start', name: 'Ping', kind: 'task', module: 'ping' });
  const now = await screenWith(tty, /more hosts/);
  t.match(now, /… and 45 more hosts working/);
  const live = now.slice(now.indexOf('TASK [Ping] ·')).trimEnd().split('\n');
  t.ok(live.length < tty.rows, `the live part is shorter than the terminal (${live.length} lines)`);
  await done();
});

t.test('the CLI under a terminal', async (t) => {
  const hasScript = spawnSync('script', ['--version']).status === 0;
  t.ok(hasScript, 'util-linux script is installed');
  // The CLI is tested as users run it, from the build (the run's test build, not the shared dist/).
  const cli = builtCli();

  const dir = t.testdir({
    'hosts.ini': '[web]\nweb-a ansible_connection=local\nweb-b ansible_connection=local\n',
    'ok.yml': [
      '- name: Calm play',
      '  hosts: all',
      '  gather_facts: false',
      '  tasks:',
      // Runs until the test has seen the live line (the file `go` appears), at most 120 s.
      '    - name: Wait a little',
      '      shell: for i in $(seq 1200); do [ -e go ] && break; sleep 0.1; done; echo done',
      '',
    ].join('\n'),
    'fail.yml': [
      '- name: Breaking play',
      '  hosts: all',
      '  gather_facts: false',
      '  tasks:',
      '    - name: Say hello',
      '      debug:',
      '        msg: hello',
      '    - name: Break one',
      '      shell: echo boom >&2; exit 3',
      "      when: inventory_hostname == 'web-b'",
      '',
    ].join('\n'),
  });
  const run = (playbook: string, env: NodeJS.ProcessEnv, stty = '', onOutput?: (soFar: string) => void) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const cmd = `${stty}node ${cli} run ${join(dir, playbook)} -i ${join(dir, 'hosts.ini')}`;
      const child = execFile('script', ['-qec', cmd, '/dev/null'], { env, cwd: dir, timeout: 180_000 }, (err, stdout) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, out: stdout.replace(/\r/g, '') });
      });
      let soFar = '';
      child.stdout?.on('data', (d) => onOutput?.((soFar += d)));
    });

  // A sized terminal, as a person has.
  const spinner = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] TASK \[Wait a little\]/;
  const ok = await run('ok.yml', childEnv, 'stty cols 120 rows 30; ', (soFar) => {
    if (spinner.test(strip(soFar))) writeFileSync(join(dir, 'go'), '', { flag: 'a' });
  });
  t.equal(ok.code, 0, 'exit 0');
  t.match(strip(ok.out), spinner, 'the live line was drawn');
  const okScreen = screen(ok.out);
  t.match(okScreen, /changed: \[web-a\]/);
  t.match(okScreen, /PLAY RECAP \*+\nweb-a +: ok=1 +changed=1 +unreachable=0 +failed=0 +skipped=0 +rescued=0 +ignored=0\nweb-b +: ok=1 +changed=1 /);
  t.notMatch(okScreen, /hosts done/, 'the live line is gone at the end');

  // A pty nobody sized (0x0), as script makes without a terminal.
  const failed = await run('fail.yml', childEnv);
  t.equal(failed.code, 2, 'a failed host exits 2');
  const failScreen = screen(failed.out);
  const fatal = failScreen.split('\n').find((l) => l.startsWith('fatal: [web-b]: FAILED! => {')) ?? '';
  t.match(fatal, /"rc": 3/, 'the failure in full on one line');
  t.match(fatal, /"stderr": "boom"/);
  t.match(failScreen, /PLAY RECAP \*+\nweb-a +: ok=1 +changed=0 +unreachable=0 +failed=0 +skipped=1 /);
  t.match(failScreen, /\nweb-b +: ok=1 .*failed=1 /);
  t.match(failed.out, /\x1b\[31mfatal: \[web-b\]/, 'in red');

  // With CI set the same terminal gets plain lines: no redraws.
  const ci = await run('fail.yml', { ...childEnv, CI: 'true' });
  t.equal(ci.code, 2);
  t.notMatch(ci.out, /\x1b\[1A|\x1b\[2K/, 'no erase codes');
  t.match(strip(ci.out), /PLAY RECAP/);
});
