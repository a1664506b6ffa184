// The Ansible core set (copy, template, file, lineinfile, stat, replace,
// blockinfile, slurp, wait_for) in one
// playbook, run by ansible-playbook and by tsplay into two directories: the
// same files with the same bytes and modes, the same recap, and a second run
// whose recap is the same in both. tsplay's --check writes nothing.
import t from 'tap';
import { lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAnsible } from '../compat/helpers.js';
import { runPlaybook } from '../../lib/engine/run.js';

const here = path.join(path.dirname(fileURLToPath(import.meta.url)), 'core');

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = path.join(d, f);
      const st = lstatSync(p);
      const mode = (st.mode & 0o7777).toString(8);
      const rel = path.relative(dir, p);
      if (st.isSymbolicLink()) out[rel] = `link -> ${readlinkSync(p)}`;
      else if (st.isDirectory()) {
        out[rel + '/'] = mode;
        walk(p);
      } else out[rel] = `${mode} ${readFileSync(p, 'utf8')}`;
    }
  };
  walk(dir);
  return out;
}

const recap = (s: string) => /localhost\s+: (ok=\d+\s+changed=\d+\s+unreachable=\d+\s+failed=\d+)/.exec(s)?.[1]?.replace(/\s+/g, ' ');

async function tsplay(out: string, check = false) {
  const r = await runPlaybook({ playbooks: [path.join(here, 'site.yml')], inventory: [path.join(here, 'hosts')], extraVars: { out }, check, reporters: [] } as never);
  const s = r.stats.localhost!;
  return { code: r.exitCode, recap: `ok=${s.ok} changed=${s.changed} unreachable=${s.unreachable} failed=${s.failed}`, failures: r.failures };
}

t.test('the core set: the same files and recap as ansible-playbook', async (t) => {
  const a = mkdtempSync(path.join(os.tmpdir(), 'tsplay-core-a-'));
  const b = mkdtempSync(path.join(os.tmpdir(), 'tsplay-core-b-'));
  t.teardown(() => {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  });
  const args = ['-i', path.join(here, 'hosts'), path.join(here, 'site.yml'), '-e', JSON.stringify({ out: a })];
  const first = await runAnsible(args, here);
  t.equal(first.code, 0, first.stdout.slice(-1500));

  const dry = await tsplay(b, true);
  t.same(readdirSync(b), [], '--check writes nothing');

  const mine = await tsplay(b);
  t.same(mine.failures, []);
  t.equal(mine.recap, recap(first.stdout), 'the same recap on the first run');
  t.strictSame(tree(b), tree(a), 'the same files, bytes and modes');

  const second = await runAnsible(args, here);
  const mine2 = await tsplay(b);
  t.equal(mine2.recap, recap(second.stdout), 'the same recap on the second run');
  // Not changed=0: the playbook itself flips motd's mode and makes and removes the link on every run, in Ansible too.
  t.strictSame(tree(b), tree(a));
});
