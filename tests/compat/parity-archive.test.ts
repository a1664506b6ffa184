/**
 * find, tempfile, unarchive, assemble, copy of a directory and git through the real ansible-playbook 2.14 and
 * tsplay on this machine (the local connection, a workdir each): the same
 * host lines and debug output of the registered results (the keys Ansible
 * returns), the same recap and exit code, the same trees on disk; then
 * under --check --diff the same statuses and nothing written.
 */
import t from 'tap';
import { readdirSync, readFileSync, lstatSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ansibleEnv, bothOutputs, buildCli, compatDir, exec, parseRecap, parseSections, runTsplay, sameRecapAndExit, sameSections, scratchDir, type Run } from './helpers.js';

const cli = buildCli('parity-archive');

async function both(playbook: string, dirs: { ansible: string; tsplay: string }, extra: string[] = []): Promise<{ ansible: Run; tsplay: Run }> {
  const args = (w: string) => [path.join('playbooks', playbook), '-i', 'inventories/one.ini', '-e', `workdir=${w}`, ...extra];
  const [ansible, tsplay] = await Promise.all([exec('ansible-playbook', args(dirs.ansible), { cwd: compatDir, env: ansibleEnv }), runTsplay(cli, args(dirs.tsplay))]);
  return { ansible, tsplay };
}

/** Every path under a directory with its type, mode and (for files) bytes; temp names left out (they are random). */
function tree(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(path.join(dir, rel)).sort()) {
    const r = path.join(rel, name);
    if (/^(work\.|ansible\.)/.test(name)) continue;
    // git's own files hold times and hashes that differ from run to run.
    if (name === '.git' || name.endsWith('.git')) continue;
    const st = lstatSync(path.join(dir, r));
    const mode = (st.mode & 0o7777).toString(8);
    if (st.isDirectory()) {
      out[r + '/'] = mode;
      Object.assign(out, tree(dir, r));
    } else if (st.isSymbolicLink()) out[r] = 'link';
    else out[r] = `${mode} ${/\.(gz|xz|bz2)$/.test(name) ? '' : readFileSync(path.join(dir, r), 'utf8')}`;
  }
  return out;
}

const scratch = scratchDir('tsplay-parity-archive-');
const dirs = { ansible: path.join(scratch, 'ansible'), tsplay: path.join(scratch, 'tsplay') };
mkdirSync(dirs.ansible);
mkdirSync(dirs.tsplay);

t.test('find, tempfile and unarchive: the same results, recap and trees', async (t) => {
  const run = await both('archive.yml', dirs);
  const detail = bothOutputs(run);
  sameRecapAndExit(t, run, detail);
  t.equal(run.ansible.code, 0, 'the playbook passes under ansible-playbook', { detail });
  sameSections(t, run, { detail });
  t.same(tree(dirs.tsplay), tree(dirs.ansible), 'the same trees: paths, modes, bytes');
});

t.test('--check --diff: unarchive predicts where Ansible skips; the rest the same, and nothing written', async (t) => {
  const before = { ansible: tree(dirs.ansible), tsplay: tree(dirs.tsplay) };
  const run = await both('archive-check.yml', dirs, ['--check', '--diff']);
  const detail = bothOutputs(run);
  t.equal(run.tsplay.code, run.ansible.code, 'same exit code', { detail });
  // Ansible's unarchive skips tar archives in check mode ("does not support check mode when using gtar");
  // tsplay's tar --diff is read-only, so it predicts (docs/differences.md).
  const unarchiveTasks = ['TASK [unarchive into an empty directory would change it]', 'TASK [unarchive where it is already would not]'];
  const lines = (out: string) => parseSections(out).map((s) => [s.banner, s.lines] as const);
  t.same(lines(run.ansible.stdout).filter(([b]) => unarchiveTasks.includes(b)).map(([, l]) => l), [['skipping: [solo]'], ['skipping: [solo]']], 'Ansible skips unarchive', { detail });
  t.same(lines(run.tsplay.stdout).filter(([b]) => unarchiveTasks.includes(b)).map(([, l]) => l), [['changed: [solo]'], ['ok: [solo]']], 'tsplay predicts: a change where the files are missing, none where they are there', { detail });
  t.same(lines(run.tsplay.stdout).filter(([b]) => !unarchiveTasks.includes(b)), lines(run.ansible.stdout).filter(([b]) => !unarchiveTasks.includes(b)), 'the other tasks print the same', { detail });
  t.same(parseRecap(run.tsplay.stdout).solo, { ok: 4, changed: 1, unreachable: 0, failed: 0, skipped: 1, rescued: 0, ignored: 0 }, 'the recap counts the prediction', { detail });
  t.same(tree(dirs.tsplay), before.tsplay, 'tsplay changed nothing');
  t.same(tree(dirs.ansible), before.ansible, 'ansible-playbook changed nothing');
});
