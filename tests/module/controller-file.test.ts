/**
 * The one search for a controller file: modules (controllerFile: copy,
 * template, script, …) and lookups (findControllerFile) look in the same
 * places in the same order, Ansible's `<dir>/<subdir>/<name>` then
 * `<dir>/<name>` for each directory.
 */
import t from 'tap';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { controllerFile } from '../../lib/module/files/put-file.js';
import { findControllerFile } from '../../lib/template/lookups/find-file.js';
import type { LookupEnv } from '../../lib/template/lookups/types.js';
import { ModuleError } from '../../lib/module/kit.js';

const root = mkdtempSync(join(tmpdir(), 'tsplay-controller-file-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));
const put = (rel: string) => {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, rel);
  return p;
};
const play = join(root, 'play');
const role = join(root, 'play/roles/web');
const vars = { playbook_dir: play, role_path: role };
// Lookups search the role, then the playbook (what lib/template/lookups/index.ts gives them).
const env = { searchPath: [role, play] } as LookupEnv;

t.test('the role before the playbook, <dir>/files before <dir>, for modules and lookups alike', async (t) => {
  put('play/files/a.txt');
  put('play/a.txt');
  put('play/roles/web/a.txt');
  t.equal(controllerFile('a.txt', vars, 'files'), join(role, 'a.txt'));
  t.equal(findControllerFile('a.txt', 'files', env), join(role, 'a.txt'));
  put('play/roles/web/files/a.txt');
  t.equal(controllerFile('a.txt', vars, 'files'), join(role, 'files/a.txt'));
  t.equal(findControllerFile('a.txt', 'files', env), join(role, 'files/a.txt'));
  put('play/b.txt');
  put('play/files/b.txt');
  t.equal(controllerFile('b.txt', vars, 'files'), join(play, 'files/b.txt'));
  t.equal(findControllerFile('b.txt', 'files', env), join(play, 'files/b.txt'));
  t.equal(controllerFile('b.txt', { playbook_dir: play }, 'templates'), join(play, 'b.txt'), 'no role: the playbook folder only');
});

t.test('a folder is a module source (copy, assemble), not a lookup file', async (t) => {
  mkdirSync(join(play, 'files/conf.d'), { recursive: true });
  t.equal(controllerFile('conf.d', vars, 'files'), join(play, 'files/conf.d'));
  t.equal(findControllerFile('conf.d', 'files', env), undefined);
});

t.test('absolute names, and a name found nowhere', async (t) => {
  const abs = put('elsewhere/c.txt');
  t.equal(controllerFile(abs, vars, 'files'), abs);
  t.equal(findControllerFile(abs, 'files', env), abs);
  t.equal(findControllerFile(join(root, 'elsewhere/none.txt'), 'files', env), undefined);
  t.throws(() => controllerFile('none.txt', vars, 'files'), new ModuleError(`could not find 'none.txt' in ${join(role, 'files')} or ${role}, ${join(play, 'files')} or ${play}`));
  t.equal(findControllerFile('none.txt', 'files', env), undefined);
});
