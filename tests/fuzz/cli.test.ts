/**
 * A handful of generated playbooks and -e values through the built command
 * line, where the whole path runs: argument parsing, the reporters, the
 * error report and the exit code. Same invariants as in-process, judged on
 * stdout and stderr of the real process.
 */
import t from 'tap';
import fc from 'fast-check';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildCli, removeBuild } from '../compat/helpers.js';
import { project } from '../hostile/helpers.js';
import { extraVar, playbook } from './arbitraries.js';
import { SECRET } from './invariants.js';

const dir = project({ 'hosts.ini': `h1 ansible_connection=local ansible_become_password=${SECRET}\n` });
let cli = '';
t.before(() => {
  cli = buildCli('fuzz-cli');
});
t.teardown(() => {
  if (cli) removeBuild(cli);
});

/** Runs the CLI with a generous time bound as a safety net against a hang. */
function tsplay(args: string[]): Promise<{ code: number | null; text: string; killed: boolean }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, 'run', ...args], { cwd: dir, timeout: 60_000, env: { ...process.env, CI: '1', NO_COLOR: '1' } }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number; killed?: boolean }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, text: stdout + stderr, killed: !!e?.killed });
    });
  });
}

t.test('generated playbooks and -e values through the CLI', async (t) => {
  const samples = fc.sample(fc.tuple(playbook, fc.array(extraVar, { maxLength: 2 }), fc.boolean()), { seed: 99, numRuns: 8 });
  for (const [i, [plays, extra, json]] of samples.entries()) {
    const file = path.join(dir, `play${i}.yml`);
    writeFileSync(file, JSON.stringify(plays, null, 1));
    const args = [file, '-i', 'hosts.ini', ...extra.flatMap((e) => ['-e', e]), ...(json ? ['--json'] : [])];
    const r = await tsplay(args);
    const what = `case ${i}: ${JSON.stringify(args.slice(1))}`;
    t.notOk(r.killed, `${what}: ends within the bound`);
    t.not(r.code, 250, `${what}: not exit 250`);
    t.ok(r.code !== null && [0, 1, 2, 4].includes(r.code), `${what}: one of Ansible's exit codes (${r.code})`, { detail: r.text.slice(0, 1500) });
    t.notMatch(r.text, /^\s+at .+:\d+:\d+\)?$/m, `${what}: no stack trace`);
    t.notMatch(r.text, /bug in tsplay/, `${what}: not reported as a bug`);
    t.notOk(r.text.includes(SECRET), `${what}: the password is not printed`);
  }
});
