/**
 * cron (with a cron_file), known_hosts, raw, script and getent through the real
 * ansible-playbook 2.14 and tsplay on this machine, each tool in its own
 * empty folder: a check run (--check --diff), then a real run. Compared:
 * exit codes and recaps, each task's status, the registered results (every
 * key Ansible returns), the --diff output and the files left in the folder.
 * Nothing outside the folders changes: the cron files are in them, and
 * getent only reads.
 *
 * Ansible's cron looks for a `crontab` program even with a cron_file, which
 * it then never runs; this machine has none, so Ansible is given one on its
 * PATH that fails if it is ever run. tsplay needs none.
 */
import t from 'tap';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ansibleEnv, buildCli, compatDir, exec, parseRecap, parseSections, runTsplay, scratchDir, type Run } from './helpers.js';

const cli = buildCli('parity-system');
const scratch = scratchDir('tsplay-parity-system-');
const bin = path.join(scratch, 'bin');
mkdirSync(bin);
writeFileSync(path.join(bin, 'crontab'), '#!/bin/sh\necho "crontab must not run in this test" >&2\nexit 99\n');
chmodSync(path.join(bin, 'crontab'), 0o755);

type Tool = 'ansible' | 'tsplay';

async function run(tool: Tool, args: string[]): Promise<{ run: Run; workdir: string }> {
  const workdir = path.join(scratch, `${tool}-${args.join('').replace(/\W/g, '') || 'run'}`);
  mkdirSync(workdir);
  const argv = [path.join('playbooks', 'system.yml'), '-i', 'inventories/one.ini', '-e', `workdir=${workdir}`, ...args];
  const r = tool === 'ansible' ? await exec('ansible-playbook', argv, { cwd: compatDir, env: { ...ansibleEnv, PATH: `${bin}:${process.env.PATH}` } }) : await runTsplay(cli, argv);
  // The two folders differ in name only: compare what is printed without it.
  const clean = (s: string) => s.split(workdir).join('<workdir>');
  return { run: { code: r.code, stdout: clean(r.stdout), stderr: clean(r.stderr) }, workdir };
}

function statuses(r: Run): string[] {
  return parseSections(r.stdout)
    .filter((s) => s.banner.startsWith('TASK'))
    .map((s) => `${s.banner}: ${s.lines.map((l) => `${/^(\w+)/.exec(l)?.[1]}${l.includes('...ignoring') ? ' (ignored)' : ''}`).join(',')}`);
}

/**
 * The registered results printed by the last task, without Ansible's echo of
 * the arguments (`invocation`) and its copy of the --diff (`diff`): tsplay's
 * engine keeps a diff for the diff output only, which is compared on its own.
 */
function results(r: Run): unknown {
  const line = parseSections(r.stdout).find((s) => s.banner === 'TASK [the results]')?.lines[0] ?? '';
  try {
    return JSON.parse(line.slice(line.indexOf('=> ') + 3), (k, v) => (k === 'invocation' || k === 'diff' ? undefined : v));
  } catch {
    return `unparsable: ${line}`;
  }
}

/**
 * The --diff blocks, in order. tsplay's diff printer (shared by every module)
 * ends the header lines with a tab and writes a one-line range as `1,1`
 * where Python's difflib writes `1`: those two are set aside here, so what
 * is compared is each module's before and after.
 */
function diffs(r: Run): string[] {
  return [...r.stdout.matchAll(/^--- before(?:: .*)?\n\+\+\+ after(?:: .*)?\n(?:[@ +\\-].*\n)*/gm)].map((m) =>
    m[0]
      .replace(/\t$/gm, '')
      .replace(/^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$/gm, (_all, a, al, b, bl) => `@@ -${a}${al === undefined || al === '1' ? '' : `,${al}`} +${b}${bl === undefined || bl === '1' ? '' : `,${bl}`} @@`),
  );
}

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) out[f] = `${(statSync(path.join(dir, f)).mode & 0o777).toString(8)} ${readFileSync(path.join(dir, f), 'utf8')}`;
  return out;
}

for (const [phase, args] of [
  ['check', ['--check', '--diff']],
  ['real', ['--diff']],
] as const) {
  t.test(`${phase} run`, async (t) => {
    const [a, b] = await Promise.all([run('ansible', [...args]), run('tsplay', [...args])]);
    const detail = `\n--- ansible-playbook\n${a.run.stdout}${a.run.stderr}\n--- tsplay\n${b.run.stdout}${b.run.stderr}`;
    t.ok(Object.keys(parseRecap(a.run.stdout)).length > 0, 'ansible-playbook ran the host', { detail });
    t.same(parseRecap(b.run.stdout), parseRecap(a.run.stdout), 'same PLAY RECAP', { detail });
    t.equal(b.run.code, a.run.code, 'same exit code', { detail });
    t.same(statuses(b.run), statuses(a.run), 'same status for every task', { detail });
    t.same(results(b.run), results(a.run), 'same registered results', { detail });
    t.same(diffs(b.run), diffs(a.run), 'same --diff output', { detail });
    const facts = (r: Run) => parseSections(r.stdout).filter((s) => s.banner.startsWith('TASK [the fact'));
    t.same(facts(b.run), facts(a.run), 'the facts getent set, as debug prints them', { detail });
    t.same(files(b.workdir), files(a.workdir), 'the same files, modes and contents left', { detail });
    if (phase === 'check') t.same(files(a.workdir), {}, 'check mode wrote nothing');
    else t.match(files(a.workdir), { backup: /^644 MAILTO="ops@example.com"\n#Ansible: backup\n30 2 \* \* 1-5 root \/usr\/local\/bin\/backup\n$/, mark: '644 ' }, 'the real run wrote the cron file and the mark');
  });
}
