/** --syntax-check, --list-hosts and --list-tasks: they load everything, run nothing, and print what would happen. */
import t from 'tap';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { main, type Io } from '../../lib/cli/main.js';
import { project, tempDir } from './helpers.js';

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (s) => (out += s), err: (s) => (err += s), isTTY: false };
  const code = await main(argv, io);
  return { code, out, err };
}

const workdir = tempDir();
const dir = project({
  hosts: 'w1 ansible_connection=local\nw2 ansible_connection=local\nd1 ansible_connection=local\n\n[web]\nw1\nw2\n\n[db]\nd1\n',
  'site.yml': `
- name: web servers
  hosts: web
  gather_facts: false
  tags: webtag
  tasks:
    - name: make a file
      command: "touch ${workdir}/made"
      tags: [files]
    - name: say hello
      debug:
        msg: hello
    - name: only on request
      debug:
        msg: never
      tags: never
- name: databases
  hosts: db
  gather_facts: false
  tasks:
    - name: db task
      debug:
        msg: db
`,
});
const pb = path.join(dir, 'site.yml');
const inv = path.join(dir, 'hosts');

t.test('--syntax-check', async (t) => {
  const r = await cli(['run', pb, '-i', inv, '--syntax-check']);
  t.equal(r.code, 0);
  t.match(r.out, /playbook: .*site\.yml/);
  t.notMatch(r.out, /PLAY \[|TASK \[/, 'runs nothing');
  t.notOk(existsSync(path.join(workdir, 'made')), 'no command ran');
  const bad = project({ 'bad.yml': '- hosts: all\n  tasks:\n    - nope_module: {}\n' });
  const b = await cli(['run', path.join(bad, 'bad.yml'), '--syntax-check']);
  t.equal(b.code, 4, 'a validation error exits 4, as ansible-playbook --syntax-check');
  t.match(b.err, /couldn't resolve module\/action 'nope_module'.*bad\.yml:3:7/);
});

t.test('--list-hosts', async (t) => {
  const r = await cli(['run', pb, '-i', inv, '--list-hosts']);
  t.equal(r.code, 0);
  t.match(r.out, /play #1 \(web\): web servers[\s\S]*hosts \(2\):\n\s+w1\n\s+w2\n[\s\S]*play #2 \(db\): databases[\s\S]*hosts \(1\):\n\s+d1\n/);
  const limited = await cli(['run', pb, '-i', inv, '--list-hosts', '--limit', 'w2']);
  t.match(limited.out, /hosts \(1\):\n\s+w2\n/, '--limit applies');
  t.notOk(existsSync(path.join(workdir, 'made')), 'no command ran');
});

t.test('--list-tasks', async (t) => {
  const r = await cli(['run', pb, '-i', inv, '--list-tasks']);
  t.equal(r.code, 0);
  t.match(r.out, /make a file\tTAGS: \[webtag,files\]/);
  t.match(r.out, /say hello\tTAGS: \[webtag\]/);
  t.match(r.out, /db task\tTAGS: \[\]/);
  t.notMatch(r.out, /only on request/, 'a never-tagged task is not listed');
  const tagged = await cli(['run', pb, '-i', inv, '--list-tasks', '--tags', 'files']);
  t.match(tagged.out, /make a file/);
  t.notMatch(tagged.out, /say hello|db task/, '--tags filters the list');
  t.notOk(existsSync(path.join(workdir, 'made')), 'no command ran');
});
