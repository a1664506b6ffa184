/**
 * lookup(), query() and q() at the expression level, on real controller
 * files and commands in a private folder: where files are found, what is
 * joined and what stays a list, errors=, the bounds of pipe, the password
 * file's life (made once, read back, never in check mode), and that what a
 * lookup reads is data, never a template. tests/compat/parity-lookups.test.ts
 * compares the same with ansible-playbook.
 */
import t from 'tap';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { evaluateExpression, renderString } from '../../lib/template/index.js';
import { maskText } from '../../lib/util/secrets.js';
import { PIPE_MAX_OUTPUT } from '../../lib/template/lookups/pipe.js';
import { BUDGET } from '../../lib/template/limits.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tsplay-lookups-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(path.join(dir, 'files'));
mkdirSync(path.join(dir, 'templates'));
writeFileSync(path.join(dir, 'files', 'motd'), '  welcome {{ who }}\n\n');
writeFileSync(path.join(dir, 'beside.txt'), 'beside\n');
writeFileSync(path.join(dir, 'templates', 'conf.j2'), 'who={{ who }}{% raw %} {{ kept }}{% endraw %}\n');

/** What `fn` writes to stderr (the warnings of the template layer go there). */
function captureStderr(fn: () => void): string {
  const writes: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((s: string) => writes.push(String(s))) as never;
  try {
    fn();
  } finally {
    process.stderr.write = write;
  }
  return writes.join('');
}

const base = { playbook_dir: dir, who: 'ops', ansible_check_mode: false };
const ev = (expr: string, vars: Record<string, unknown> = {}) => evaluateExpression(expr, { ...base, ...vars });

t.test('file: files/ first, then beside the playbook; stripped as Ansible strips', async (t) => {
  t.equal(ev("lookup('file', 'motd')"), '  welcome {{ who }}');
  t.equal(ev("lookup('file', 'motd', lstrip=true)"), 'welcome {{ who }}');
  t.equal(ev("lookup('file', 'motd', rstrip=false)"), '  welcome {{ who }}\n\n');
  t.equal(ev("lookup('file', 'beside.txt')"), 'beside');
  t.equal(ev(`lookup('file', '${path.join(dir, 'beside.txt')}')`), 'beside', 'an absolute path');
  t.equal(ev("lookup('ansible.builtin.file', 'beside.txt', 'motd')"), 'beside,  welcome {{ who }}', 'joined with , without wantlist');
  t.strictSame(ev("query('file', 'beside.txt')"), ['beside'], 'query gives a list');
  t.strictSame(ev("q('file', 'beside.txt')"), ['beside']);
  t.strictSame(ev("lookup('file', 'beside.txt', wantlist=True)"), ['beside']);
  t.throws(() => ev("lookup('file', 'absent.txt')"), { kind: 'template', message: /could not locate file in lookup: absent.txt/ });
  t.throws(() => ev("lookup('file', 'motd', strip=true)"), { message: /Invalid options for lookup 'file': strip/ });
});

t.test('a file larger than the memory budget fails the lookup before it is read', async (t) => {
  const big = path.join(dir, 'files', 'huge.bin');
  writeFileSync(big, '');
  truncateSync(big, BUDGET + 1); // sparse: no disk used
  t.teardown(() => rmSync(big));
  t.throws(() => ev("lookup('file', 'huge.bin')"), { kind: 'template', message: /lookup\('file', '.*huge.bin'\) would take the values this template builds past \d+ MB/ });
});

t.test('what a lookup reads is data: it is never rendered again', async (t) => {
  const text = ev("lookup('file', 'motd', lstrip=true)");
  t.equal(renderString('{{ f }}', { f: text, who: 'x' } as never), 'welcome {{ who }}', 'a fact holding the text prints it as it is');
  const control = ['welcome {{ who }}', 'control'].join(' ');
  t.equal(renderString('{{ f }}', { f: control, who: 'x' } as never), 'welcome x control', 'the same text not from a lookup would render');
  t.equal(ev("lookup('template', 'conf.j2')"), 'who=ops {{ kept }}\n', 'a rendered template is not rendered twice');
  t.equal(ev("lookup('template', 'conf.j2', template_vars={'who': 'dev'})"), 'who=dev {{ kept }}\n');
  const fromFile = ev("lookup('file', 'motd', lstrip=true)");
  t.equal(ev('lookup("pipe", "echo " ~ (t | quote))', { t: fromFile }), 'welcome {{ who }}', 'a term built from data is not rendered (Ansible would)');
  const writes = captureStderr(() => t.equal(ev("lookup('pipe', 'echo \"{{ a }}\"')", { a: 'A' }), '{{ a }}', 'nor a literal term'));
  t.match(writes, /\[WARNING\]: the term 'echo "\{\{ a \}\}"' of lookup 'pipe' holds template syntax: Ansible would render it once more/, 'with a warning');
});

t.test('env and vars', async (t) => {
  process.env.TSPLAY_LOOKUP_TEST = 'set';
  t.teardown(() => delete process.env.TSPLAY_LOOKUP_TEST);
  t.equal(ev("lookup('env', 'TSPLAY_LOOKUP_TEST')"), 'set');
  t.equal(ev("lookup('env', 'TSPLAY_LOOKUP_NOT_SET')"), '');
  t.equal(ev("lookup('env', 'TSPLAY_LOOKUP_NOT_SET', default='d')"), 'd');
  t.equal(ev("lookup('vars', 'greeting')", { greeting: 'hi {{ who }}' }), 'hi ops', 'a variable is rendered as when used directly');
  t.equal(ev("lookup('vars', 'missing', default=3)"), 3);
  t.throws(() => ev("lookup('vars', 'missing')"), { message: /No variable found with this name: missing/ });
  t.throws(() => ev("lookup('vars', 'missing', errors='ignore')"), { message: /missing/ }, 'an undefined variable is never ignored');
});

t.test('errors=: strict fails, warn and ignore give nothing', async (t) => {
  t.equal(ev("lookup('file', 'absent', errors='ignore')"), null);
  t.strictSame(ev("query('file', 'absent', errors='ignore')"), []);
  const writes = captureStderr(() => t.strictSame(ev("query('file', 'absent', errors='warn')"), []));
  t.match(writes, /^\[WARNING\]: An unhandled exception occurred while running the lookup plugin 'file'/);
  t.throws(() => ev("lookup('file', 'absent', errors='loud')"), { message: /errors= must be strict, warn or ignore/ });
  t.throws(() => ev("lookup('nope')"), { message: /^lookup plugin \(nope\) not found$/ });
});

t.test('pipe and lines run /bin/sh in the playbook folder, bounded', async (t) => {
  t.equal(ev("lookup('pipe', 'pwd')"), dir);
  t.equal(ev("lookup('pipe', 'printf \"a\\nb\\n\\n\"')"), 'a\nb');
  t.strictSame(ev("query('lines', 'printf \"a\\nb\\n\"')"), ['a', 'b']);
  t.throws(() => ev("lookup('pipe', 'exit 3')"), { message: /lookup_plugin.pipe\(exit 3\) returned 3/ });
  t.throws(() => ev(`lookup('pipe', 'head -c ${PIPE_MAX_OUTPUT + 1} /dev/zero')`), { message: /printed more than 16 MB and was killed/ });
});

t.test('the loop lookups as functions', async (t) => {
  t.strictSame(ev("query('items', [1, [2]], 3)"), [1, [2], 3]);
  t.equal(ev("lookup('items', [5])"), 5, 'one item that is not text is the item');
  t.strictSame(ev("query('sequence', 'start=2 count=2 format=n%d')"), ['n2', 'n3']);
  t.strictSame(ev("query('dict', {'a': 1})"), [{ key: 'a', value: 1 }]);
  t.strictSame(ev("query('indexed_items', ['x'])"), [[0, 'x']]);
  t.strictSame(ev("query('together', [1, 2], ['a'])"), [[1, 'a'], [2, null]]);
  t.strictSame(ev("query('nested', [1], ['a', 'b'])"), [[1, 'a'], [1, 'b']]);
  t.strictSame(ev("query('subelements', [{'n': 1, 'l': [7, 8]}], 'l')"), [[{ n: 1 }, 7], [{ n: 1 }, 8]]);
  t.equal(ev("lookup('first_found', 'absent', 'motd')"), path.join(dir, 'files', 'motd'));
  t.equal(ev("lookup('first_found', files=['absent', 'beside.txt'])"), path.join(dir, 'beside.txt'));
  t.strictSame(ev("query('first_found', 'absent', skip=true)"), []);
  t.strictSame(ev("query('fileglob', '*')"), [path.join(dir, 'files', 'motd')]);
});

t.test('password: made once (0600, folder 0700), read back, never written in check mode', async (t) => {
  const pw = ev("lookup('password', 'creds/db length=24 chars=digits,ascii_lowercase')") as string;
  t.match(pw, /^[0-9a-z]{24}$/);
  const file = path.join(dir, 'creds', 'db');
  t.equal(readFileSync(file, 'utf8'), pw + '\n');
  t.equal(statSync(file).mode & 0o777, 0o600);
  t.equal(statSync(path.dirname(file)).mode & 0o777, 0o700);
  t.equal(ev("lookup('password', 'creds/db length=5')"), pw, 'an existing file is read, whatever the options');
  t.equal(maskText(`pw is ${pw}`), 'pw is ********', 'the password is masked in all output');
  t.match(ev("lookup('password', '/dev/null chars=,, length=3')"), /^,,,$/, '",," is a comma');
  const checked = ev("lookup('password', 'creds/new')", { ansible_check_mode: true }) as string;
  t.equal(checked.length, 20, 'check mode gives a password for this run');
  t.notOk(existsSync(path.join(dir, 'creds', 'new')), 'and writes nothing');
  t.throws(() => ev("lookup('password', 'creds/x encrypt=sha512_crypt')"), { message: /encrypt= is not supported/ });
  t.throws(() => ev("lookup('password', 'creds/x size=3')"), { message: /Unrecognized parameter\(s\) given to password lookup: size/ });
  t.throws(() => ev("lookup('password', 'creds/x length=0')"), { message: /length=0 must be a whole number/ });
  t.notOk(existsSync(path.join(dir, 'creds', 'x')), 'a refused lookup writes nothing');
});
