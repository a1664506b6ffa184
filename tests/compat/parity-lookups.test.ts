/**
 * lookup(), query() and q() against the real ansible-playbook 2.14: the
 * joined and list results, every ansible-core lookup tsplay has, errors=,
 * a controller file's '{{ }}' kept as text through set_fact, password files
 * made once and read back. The same playbook runs through both tools; exit
 * code, recap, banners, host lines and debug output must match (a failure's
 * message is compared up to where tsplay adds the file:line:col and a hint).
 * Then what tsplay adds: --check creates no password file, --syntax-check
 * names an unknown lookup with file:line:col.
 */
import t from 'tap';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildCli, bothOutputs, parseSections, perHost, removeBuild, runParityCase, runTsplay, sameRecapAndExit, type ParityRun } from './helpers.js';

let cli = '';
let o: ParityRun;

t.before(async () => {
  cli = buildCli('parity-lookups');
  o = await runParityCase(cli, { playbook: 'lookups.yml', inventory: 'inventories/one.ini' });
});

t.teardown(() => {
  if (cli) removeBuild(cli);
});

/** A failure's message up to Ansible's wording of the cause; tsplay adds where and what to do. */
function core(entry: string): string {
  return entry
    .split('\n')
    .map((line) => line.replace(/ Error was.*$/, '').replace(/ \(in \/[^)]*\)\..*$/, '"}'))
    .join('\n');
}

t.test('the same results as ansible-playbook', async (t) => {
  sameRecapAndExit(t, o, bothOutputs(o));
  const sections = (s: string) => parseSections(s).map((x) => ({ banner: x.banner, lines: x.lines.map(core) }));
  t.same(sections(o.tsplay.stdout), sections(o.ansible.stdout), 'same banners and host lines', { detail: bothOutputs(o) });
  const debug = (s: string) => perHost(s, /^ok: \[([^\]]+)\] => \{\n([\s\S]*?)\n\}$/gm);
  t.same(debug(o.tsplay.stdout), debug(o.ansible.stdout), 'same debug output, in order');
  t.match(o.tsplay.stdout, /"notes": "first line\\nsecond \{\{ not_rendered \}\}"/, "a file's {{ }} stays text through set_fact");
  t.notMatch(o.tsplay.stderr, /^\s+at /m, 'no stack trace');
});

t.test('the password file is made once, mode 0600 in a 0700 folder, as by Ansible', async (t) => {
  for (const [tool, dir] of Object.entries(o.workdirs)) {
    const file = path.join(dir, 'pw', 'one');
    t.ok(existsSync(file), `${tool} wrote the file`);
    t.equal(statSync(file).mode & 0o777, 0o600, `${tool}: the file is 0600`);
    t.equal(statSync(path.dirname(file)).mode & 0o777, 0o700, `${tool}: its folder is 0700`);
  }
});

t.test('--check makes no password file; a password never reaches the output', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsplay-lookup-check-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const pb = path.join(dir, 'pw.yml');
  writeFileSync(
    pb,
    [
      '- hosts: all',
      '  gather_facts: false',
      '  tasks:',
      '    - debug:',
      '        msg: "{{ lookup(\'password\', \'secret/pw length=16\') | length }}"',
      '    - debug:',
      '        msg: "pw={{ lookup(\'password\', \'/dev/null length=16 chars=ascii_letters\') }}"',
      '    - set_fact:',
      '        pw: "{{ lookup(\'password\', \'/dev/null length=16\') }}"',
      '      no_log: true',
      '',
    ].join('\n'),
  );
  const r = await runTsplay(cli, [pb, '-i', 'inventories/one.ini', '--check', '-v']);
  t.equal(r.code, 0, 'exit 0', { detail: r.stdout + r.stderr });
  t.match(r.stdout, /"msg": "16"/, 'a password for this run');
  t.match(r.stdout, /"msg": "pw=\*{8}"/, 'a password a task shows is masked');
  t.notMatch(r.stdout, /pw=[A-Za-z]{16}/, 'and not shown anywhere');
  t.match(r.stdout, /"censored": "the output has been hidden/, 'a no_log task is censored');
  t.notOk(existsSync(path.join(dir, 'secret')), 'nothing written on the controller');
});

t.test('--syntax-check names an unknown lookup with file:line:col', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsplay-lookup-syntax-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const pb = path.join(dir, 'bad.yml');
  writeFileSync(pb, "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug:\n        msg: \"{{ lookup('env', 'HOME') }}\"\n    - debug:\n        msg: \"{{ query('no_such_lookup', 'x') }}\"\n      when: lookup('env', 'HOME') != ''\n");
  const r = await runTsplay(cli, [pb, '-i', 'inventories/one.ini', '--syntax-check']);
  t.equal(r.code, 4, 'exit 4, a parse error');
  t.match(r.stderr, `lookup plugin (no_such_lookup) not found (${pb}:7:14)`, 'the message and where');
  t.notMatch(r.stderr, /^\s+at /m, 'no stack trace');
});
