/**
 * Errors users cause: each is a TsplayError with the right kind and
 * file:line:col, and Ansible rejects the same input.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { TsplayError } from '../../lib/errors.js';
import { loadInventory, selectHosts } from '../../lib/inventory/index.js';
import { pool, run } from './helpers/ansible.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tsplay-inv-errors-'));
const write = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

const cases: { name: string; file: string; text: string; line: number; col: number; message: RegExp }[] = [
  { name: 'host var without =', file: 'novalue.ini', text: '[web]\nweb1 ansible_user=root\n  web2 oops\n', line: 3, col: 8, message: /Expected key=value host variable assignment, got: oops/ },
  { name: 'unclosed quote', file: 'quote.ini', text: '[web]\nweb1 x="abc\n', line: 2, col: 8, message: /No closing quotation/ },
  { name: 'bad range', file: 'range.ini', text: '[web]\nweb[01:5]\n', line: 2, col: 1, message: /equal-length/ },
  { name: 'range without end', file: 'range2.ini', text: '# c\n[web]\nweb[3:]\n', line: 3, col: 1, message: /end value/ },
  { name: 'unknown section type', file: 'section.ini', text: '[web:members]\n', line: 1, col: 6, message: /unknown type: members/ },
  { name: 'space in section', file: 'space.ini', text: '[web servers]\n', line: 1, col: 1, message: /Invalid section entry/ },
  { name: 'vars line without =', file: 'vars.ini', text: '[web]\nh\n[web:vars]\njust_a_word\n', line: 4, col: 1, message: /Expected key=value, got: just_a_word/ },
  { name: 'undefined child group', file: 'child.ini', text: '[a:children]\nb\n\n[c]\n', line: 2, col: 1, message: /Section \[a:children\] includes undefined group: b/ },
  { name: 'vars for undefined group', file: 'undef.ini', text: '[web]\nh\n[db:vars]\nx=1\n', line: 3, col: 1, message: /not valid for undefined group: db/ },
  { name: 'YAML-looking line in .ini', file: 'yamlish.ini', text: 'all:\n  hosts:\n', line: 1, col: 1, message: /ending in ':' is not allowed/ },
  { name: 'malformed YAML', file: 'bad.yml', text: 'all:\n  hosts:\n    a: [1\n', line: 4, col: 1, message: /YAML/ },
  { name: 'YAML hosts as a list', file: 'list.yml', text: 'all:\n  hosts:\n    - web1\n', line: 3, col: 5, message: /Invalid "hosts" entry for "all" group/ },
  { name: 'YAML numeric host name', file: 'num.yaml', text: 'all:\n  hosts:\n    10:\n', line: 3, col: 5, message: /must be a string/ },
  { name: 'group loop', file: 'loop.ini', text: '[a:children]\nb\n[b:children]\na\n', line: 4, col: 1, message: /recursive dependency loop/ },
];

t.test('parse errors', async (t) => {
  const files = cases.map((c) => write(c.file, c.text));
  const ansible = await pool(files, 6, (f) => run('ansible-inventory', ['-i', f, '--list']));
  for (const [i, c] of cases.entries()) {
    await t.test(c.name, async (t) => {
      t.not(ansible[i].code, 0, 'ansible-inventory rejects it too');
      const err = await loadInventory([files[i]]).then(
        () => undefined,
        (e: unknown) => e,
      );
      t.ok(err instanceof TsplayError, 'a TsplayError');
      const e = err as TsplayError;
      t.equal(e.kind, 'parse');
      t.match(e.message, c.message);
      t.same(e.pos, { file: files[i], line: c.line, col: c.col }, 'position');
      t.equal(e.exitCode, 4);
    });
  }
});

t.test('missing inventory path', async (t) => {
  const missing = path.join(dir, 'nope', 'hosts');
  const err = await loadInventory([missing]).catch((e: unknown) => e);
  t.ok(err instanceof TsplayError);
  t.equal((err as TsplayError).kind, 'missing-file');
  t.match((err as TsplayError).message, missing);
  t.match((err as TsplayError).hint, /comma/);
});

t.test('relative paths resolve against cwd', async (t) => {
  write('rel.ini', '[g]\nrel1\n');
  const inv = await loadInventory(['rel.ini'], { cwd: dir });
  t.same([...inv.hosts.keys()], ['rel1']);
  t.equal(inv.hostSource('rel1').inventoryFile, path.join(dir, 'rel.ini'));
  t.equal(inv.hostSource('rel1').inventoryDir, dir);
});

t.test('subscript out of range', async (t) => {
  const inv = await loadInventory(['a,b,']);
  t.throws(() => selectHosts(inv, 'ungrouped[5]'), { name: 'TsplayError', message: /No hosts matched the subscripted pattern/ });
});

t.test('unknown host in hostVars', async (t) => {
  const inv = await loadInventory(['a,']);
  t.throws(() => inv.hostVars('zzz'), { name: 'TsplayError' });
});
