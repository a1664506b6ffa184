/**
 * fetch never writes outside its dest: not through a `..` in src, nor through
 * an inventory host named `../../x` (Ansible 2.14 escapes in both cases).
 * The property over any src and host name, then the built command line with
 * such a host in a real inventory.
 */
import t from 'tap';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fetchDest } from '../../modules/fetch.js';
import { ModuleError } from '../../lib/module/kit.js';
import { buildCli, removeBuild, runTsplay } from '../compat/helpers.js';
import { project } from './helpers.js';

let cli = '';
t.before(() => {
  cli = buildCli('fetch-escape');
});
t.teardown(() => {
  if (cli) removeBuild(cli);
});

t.test('whatever src and host name, the path is inside dest or the task fails', async (t) => {
  const part = fc.constantFrom('..', '.', '', 'a', 'etc', 'x.conf', '...', '..a', ' ');
  const pathOf = fc.array(part, { minLength: 1, maxLength: 6 }).map((ps) => ps.join('/'));
  const dest = '/srv/backups';
  fc.assert(
    fc.property(pathOf, pathOf, fc.boolean(), fc.boolean(), (src, host, flat, slash) => {
      const args = { src: '/' + src, dest: slash ? dest + '/' : dest, flat };
      let out: string;
      try {
        out = fetchDest(args, host);
      } catch (e) {
        if (!(e instanceof ModuleError)) throw e;
        return /src '|host name '/.test(e.message);
      }
      if (flat && !slash) return out === dest;
      // flat: a file in dest; else a file under dest/<host>/, the host's own folder.
      const root = flat ? dest : path.resolve(dest, host);
      return root.startsWith(dest + (flat ? '' : '/')) && path.resolve(out).startsWith(root + '/');
    }),
    { numRuns: 3000 },
  );
});

t.test('the errors name the src or the host and say what to do', async (t) => {
  t.throws(() => fetchDest({ src: '/etc/../../root/.ssh/id_rsa', dest: 'out', flat: false }, 'm1'), /src '\/etc\/\.\.\/\.\.\/root\/\.ssh\/id_rsa' has a '\.\.' component.*outside dest 'out'/);
  t.throws(() => fetchDest({ src: '/etc/..', dest: 'out/', flat: true }, 'm1'), /src '\/etc\/\.\.'/);
  t.throws(() => fetchDest({ src: '/etc/hosts', dest: 'out', flat: false }, '../../x'), /host name '\.\.\/\.\.\/x' is not a plain name.*rename the host/);
  t.throws(() => fetchDest({ src: '/etc/hosts', dest: 'out', flat: false }, '..'), /host name '\.\.'/);
  t.equal(fetchDest({ src: '/etc/hosts', dest: 'out', flat: false }, 'm1.example.com'), path.join('out', 'm1.example.com', 'etc', 'hosts'));
  t.equal(fetchDest({ src: 'etc/hosts', dest: 'out/', flat: true }, 'm1'), path.join('out', 'hosts'));
});

t.test('the command line: a host named ../../x and a src with .. fail, nothing is written outside dest', async (t) => {
  const dir = project({});
  const work = path.join(dir, 'a', 'b');
  mkdirSync(path.join(work, 'out'), { recursive: true });
  mkdirSync(path.join(work, 'sub'));
  writeFileSync(path.join(work, 'secret'), 'from the host\n');
  writeFileSync(
    path.join(work, 'hosts.yml'),
    `all:\n  hosts:\n    "../../x":\n      ansible_connection: local\n    good:\n      ansible_connection: local\n`,
  );
  writeFileSync(
    path.join(work, 'site.yml'),
    `- hosts: all\n  gather_facts: false\n  tasks:\n` +
      `    - fetch: {src: "${work}/secret", dest: "${work}/out"}\n` +
      `    - fetch: {src: "${work}/sub/../secret", dest: "${work}/out/", flat: true}\n`,
  );
  const r = await runTsplay(cli, ['-i', 'hosts.yml', 'site.yml'], work);
  const all = r.stdout + r.stderr;
  t.equal(r.code, 2, 'a failed host: exit 2');
  t.match(all, /host name '\.\.\/\.\.\/x' is not a plain name/, 'the error names the host');
  t.match(all, /src '.*\/sub\/\.\.\/secret' has a '\.\.' component/, 'the error names the src');
  t.notMatch(all, /\n\s+at .*\.js:\d+/, 'no stack trace');
  // Where Ansible would have put it: dest/../../x/<src>.
  t.notOk(existsSync(path.join(work, 'x')), 'nothing at dest/../../x');
  t.same(readdirSync(dir), ['a'], 'nothing beside the project');
  t.same(readdirSync(path.join(work, 'out')), ['good'], 'only the good host fetched');
  t.equal(readFileSync(path.join(work, 'out', 'good', work, 'secret'), 'utf8'), 'from the host\n');
});

t.test('fetch replaces a symlink or a FIFO at dest on the controller; it never writes through it or opens it', async (t) => {
  const dir = project({});
  writeFileSync(path.join(dir, 'src'), 'data\n');
  writeFileSync(path.join(dir, 'victim'), 'victim\n');
  symlinkSync(path.join(dir, 'victim'), path.join(dir, 'link'));
  execFileSync('mkfifo', [path.join(dir, 'fifo')]);
  writeFileSync(
    path.join(dir, 'site.yml'),
    `- hosts: localhost\n  gather_facts: false\n  tasks:\n` +
      `    - fetch: {src: "${dir}/src", dest: "${dir}/link", flat: true}\n` +
      `    - fetch: {src: "${dir}/src", dest: "${dir}/fifo", flat: true}\n`,
  );
  const r = await runTsplay(cli, ['-i', 'localhost,', '-c', 'local', 'site.yml'], dir);
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.equal(readFileSync(path.join(dir, 'victim'), 'utf8'), 'victim\n', 'the link target is untouched');
  t.ok(lstatSync(path.join(dir, 'link')).isFile(), 'the link became the file');
  t.equal(readFileSync(path.join(dir, 'link'), 'utf8'), 'data\n');
  t.ok(lstatSync(path.join(dir, 'fifo')).isFile(), 'the FIFO was replaced, not opened');
  t.equal(readFileSync(path.join(dir, 'fifo'), 'utf8'), 'data\n');
});
