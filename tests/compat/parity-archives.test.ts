/**
 * apt_repository and unarchive of zip archives through the real
 * ansible-playbook 2.14 and tsplay on this machine (the local connection, a
 * workdir each): the same host lines and debug output, the same recap and
 * exit code, the same files on disk (bytes and modes); then under --check
 * --diff the same statuses and nothing written. apt is pointed at each
 * workdir's sources files with APT_CONFIG, which python-apt (Ansible) and
 * apt-config (tsplay) both read, so no file of this machine's apt changes.
 */
import t from 'tap';
import { lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ansibleEnv, bothOutputs, buildCli, compatDir, exec, parseRecap, parseSections, sameRecapAndExit, sameSections, scratchDir, type Run } from './helpers.js';

const cli = buildCli('parity-archives');

function workdirs(prefix: string): { ansible: string; tsplay: string } {
  const scratch = scratchDir(prefix);
  const dirs = { ansible: path.join(scratch, 'ansible'), tsplay: path.join(scratch, 'tsplay') };
  for (const d of Object.values(dirs)) {
    mkdirSync(d);
    writeFileSync(path.join(d, 'apt.conf'), `Dir::Etc::sourcelist "${d}/sources.list";\nDir::Etc::sourceparts "${d}/sources.list.d";\n`);
  }
  return dirs;
}

async function both(playbook: string, dirs: { ansible: string; tsplay: string }, extra: string[] = []): Promise<{ ansible: Run; tsplay: Run }> {
  const args = (w: string) => [path.join('playbooks', playbook), '-i', 'inventories/one.ini', '-e', `workdir=${w}`, ...extra];
  const apt = (w: string) => ({ APT_CONFIG: path.join(w, 'apt.conf') });
  const [ansible, tsplay] = await Promise.all([
    exec('ansible-playbook', args(dirs.ansible), { cwd: compatDir, env: { ...ansibleEnv, ...apt(dirs.ansible) } }),
    exec(process.execPath, [cli, 'run', ...args(dirs.tsplay)], { cwd: compatDir, env: { ...process.env, CI: '1', NO_COLOR: '1', ...apt(dirs.tsplay) } }),
  ]);
  return { ansible, tsplay };
}

/** Every path under a directory with its mode and (for files) bytes; the archive itself and temp names left out. */
function tree(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(path.join(dir, rel)).sort()) {
    const r = path.join(rel, name);
    if (/^(ansible\.|\.)|\.zip$/.test(name) || name === 'apt.conf') continue;
    const st = lstatSync(path.join(dir, r));
    const mode = (st.mode & 0o7777).toString(8);
    if (st.isDirectory()) {
      out[r + '/'] = mode;
      Object.assign(out, tree(dir, r));
    } else out[r] = `${mode} ${readFileSync(path.join(dir, r), 'utf8')}`;
  }
  return out;
}

/** Every task's banner and host lines. */
const lines = (out: string) => parseSections(out).map((s) => [s.banner, s.lines] as const);

for (const [name, playbook] of [['apt_repository', 'apt-repository'], ['unarchive of zip archives', 'unarchive-zip']] as const) {
  const dirs = workdirs(`tsplay-parity-${playbook}-`);

  t.test(`${name}: the same results, recap and files`, async (t) => {
    const run = await both(`${playbook}.yml`, dirs);
    const detail = bothOutputs(run);
    sameRecapAndExit(t, run, detail);
    t.equal(run.ansible.code, 0, 'the playbook passes under ansible-playbook', { detail });
    sameSections(t, run, { detail });
    t.same(tree(dirs.tsplay), tree(dirs.ansible), 'the same files: paths, modes, bytes');
  });

  t.test(`${name}: --check --diff predicts the same and writes nothing`, async (t) => {
    const before = { ansible: tree(dirs.ansible), tsplay: tree(dirs.tsplay) };
    const run = await both(`${playbook}-check.yml`, dirs, ['--check', '--diff']);
    const detail = bothOutputs(run);
    sameRecapAndExit(t, run, detail);
    t.same(lines(run.tsplay.stdout), lines(run.ansible.stdout), 'the same statuses and diffs', { detail });
    t.same(parseRecap(run.tsplay.stdout).solo?.changed, playbook === 'apt-repository' ? 2 : 1, 'the changes predicted', { detail });
    t.same(tree(dirs.tsplay), before.tsplay, 'tsplay changed nothing');
    t.same(tree(dirs.ansible), before.ansible, 'ansible-playbook changed nothing');
  });
}
