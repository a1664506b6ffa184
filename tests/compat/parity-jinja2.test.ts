/**
 * Two Jinja behaviours ansible-core's own tests rely on, compared with
 * ansible-playbook 2.14: `'%r' | format(x)` prints an undefined x as
 * Python's repr of Ansible's undefined value, and a template file's
 * `#jinja2:` first line overrides the delimiters and whitespace settings
 * for that file, in the template module and the template lookup.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { bothOutputs, buildCli, parseSections, pool, runParityCase, sameRecapAndExit, sameSections, type ParityRun } from './helpers.js';

const cases = { format: 'jinja2-format.yml', header: 'jinja2-header.yml' };
const outcomes = new Map<string, ParityRun>();

t.before(async () => {
  const cli = buildCli('parity-jinja2');
  await pool(Object.values(cases), 2, async (playbook) => {
    outcomes.set(playbook, await runParityCase(cli, { playbook, inventory: 'inventories/one.ini' }));
  });
});

const run = (playbook: string): ParityRun => {
  const o = outcomes.get(playbook);
  if (!o) throw new Error(`case ${playbook} did not run`);
  return o;
};

t.test("'%r' | format(undefined) prints AnsibleUndefined(...); '%s' fails the task", async (t) => {
  const o = run(cases.format);
  sameRecapAndExit(t, o, bothOutputs(o));
  // The failures' wording is tsplay's own (docs/differences.md); every other line is Ansible's.
  const notFatal = (stdout: string) => parseSections(stdout).map((s) => ({ ...s, lines: s.lines.filter((l) => !l.startsWith('fatal:')) }));
  t.same(notFatal(o.tsplay.stdout), notFatal(o.ansible.stdout), 'same banners and host lines', { detail: bothOutputs(o) });
  t.match(o.tsplay.stdout, `"msg": "AnsibleUndefined(hint=None, obj={}, name='y')"`, 'a missing key names the object and the key');
  const fatal = o.tsplay.stdout.split('\n').filter((l) => l.startsWith('fatal: [solo]'));
  t.equal(fatal.length, 3, "'%s', '%s|%r' and '%d' of an undefined value fail", { detail: o.tsplay.stdout });
  for (const l of fatal) t.match(l, "'x' is undefined");
  t.notMatch(o.tsplay.stderr, /^\s+at /m, 'no stack trace');
});

t.test("a #jinja2: header line (or the module's arguments) sets the delimiters, trim_blocks, lstrip_blocks, newline_sequence, keep_trailing_newline", async (t) => {
  const o = run(cases.header);
  sameRecapAndExit(t, o, bothOutputs(o));
  sameSections(t, o, { detail: bothOutputs(o) });
  const files = readdirSync(o.workdirs.ansible).sort();
  t.same(files, ['jinja2-args.out', 'jinja2-blocks.out', 'jinja2-crlf.out', 'jinja2-keep.out', 'jinja2-variables.out', 'jinja2-whitespace.out']);
  t.same(readdirSync(o.workdirs.tsplay).sort(), files, 'the template module wrote the same files');
  for (const f of files) {
    const want = readFileSync(path.join(o.workdirs.ansible, f));
    t.equal(readFileSync(path.join(o.workdirs.tsplay, f)).toString('latin1'), want.toString('latin1'), `${f}: the same bytes`);
  }
  const text = (f: string) => readFileSync(path.join(o.workdirs.tsplay, f), 'utf8');
  t.equal(text('jinja2-variables.out'), 'who=web kept={{ who }}\nyes 2\n', 'the header line is gone; only [% %] prints a value');
  t.equal(text('jinja2-crlf.out'), 'one web\r\nitem a\r\nitem b\r\nlast\r\n\r\n', 'every line ends with \\r\\n');
  t.notMatch(o.tsplay.stderr, /^\s+at /m, 'no stack trace');
});
