/**
 * The path attributes Ansible's file modules put in their results (uid, gid,
 * owner, group, mode, state, size, and md5sum for a file copy writes), and
 * the messages of lineinfile, blockinfile and replace, through the real
 * ansible-playbook 2.14 and tsplay on this machine (the local connection, a
 * workdir each): copy, template, lineinfile, blockinfile, replace, assemble
 * and file, changed, unchanged and in check mode. The playbook prints each
 * registered result's fields as a list, so values and their JSON types are
 * compared; then a second run over the same files, where most tasks change
 * nothing.
 */
import t from 'tap';
import { lstatSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ansibleEnv, bothOutputs, buildCli, compatDir, exec, parseSections, runTsplay, sameRecapAndExit, sameSections, scratchDir, type Run } from './helpers.js';

const cli = buildCli('parity-path-info');

async function both(dirs: { ansible: string; tsplay: string }): Promise<{ ansible: Run; tsplay: Run }> {
  const args = (w: string) => [path.join('playbooks', 'path-info.yml'), '-i', 'inventories/one.ini', '-e', `workdir=${w}`];
  const [ansible, tsplay] = await Promise.all([exec('ansible-playbook', args(dirs.ansible), { cwd: compatDir, env: ansibleEnv }), runTsplay(cli, args(dirs.tsplay))]);
  return { ansible, tsplay };
}

/** Each path under the workdir with its type, mode and link count: what the results describe. */
function attributes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const st = lstatSync(path.join(dir, name));
    out[name] = `${st.isSymbolicLink() ? 'link' : st.isDirectory() ? 'dir' : 'file'} ${(st.mode & 0o7777).toString(8)} ${st.isDirectory() || st.isSymbolicLink() ? '' : `${st.size} ${st.nlink}`}`;
  }
  return out;
}

const scratch = scratchDir('tsplay-parity-path-info-');
const dirs = { ansible: path.join(scratch, 'ansible'), tsplay: path.join(scratch, 'tsplay') };
mkdirSync(dirs.ansible);
mkdirSync(dirs.tsplay);

/** The printed fields of one registered result, by its label. */
function fieldsOf(stdout: string, label: string): unknown {
  const section = parseSections(stdout).find((s) => s.banner === 'TASK [the attributes each result reports, with their types]');
  const entry = section?.lines.find((l) => l.startsWith(`ok: [solo] => (item=${label}) => `));
  return entry ? JSON.parse(entry.slice(entry.indexOf('=> {') + 3)).msg : undefined;
}

t.test('a first run: the same attributes, types and messages in every result', async (t) => {
  const run = await both(dirs);
  const detail = bothOutputs(run);
  sameRecapAndExit(t, run, detail);
  t.equal(run.ansible.code, 0, 'the playbook passes under ansible-playbook', { detail });
  sameSections(t, run, { detail });
  // What a user reads from a registered copy: the owner's ids as numbers, the mode as an octal string.
  const copied = fieldsOf(run.tsplay.stdout, 'copy_new') as unknown[];
  t.match(copied, [true, Number, Number, String, String, '0640', 'file', 4, /^[0-9a-f]{32}$/, '-', '-'], 'copy reports uid, gid, owner, group, mode, state, size and md5sum', { detail });
  t.same(fieldsOf(run.tsplay.stdout, 'copy_check'), [true, '-', '-', '-', '-', '-', '-', '-', '-', '-', '-'], 'a copy that would change, under check mode, reports no attributes', { detail });
  t.same(fieldsOf(run.tsplay.stdout, 'lif_replaced'), [true, '-', '-', '-', '-', '-', '-', '-', '-', 'line replaced', ''], 'lineinfile reports its message and no attributes', { detail });
  t.same(attributes(dirs.tsplay), attributes(dirs.ansible), 'the same files, modes, sizes and links on disk');
});

t.test('a second run over the same files: the same results again', async (t) => {
  const run = await both(dirs);
  const detail = bothOutputs(run);
  sameRecapAndExit(t, run, detail);
  sameSections(t, run, { detail });
  t.same((fieldsOf(run.tsplay.stdout, 'tpl_new') as unknown[])?.slice(0, 8), [false, ...(fieldsOf(run.tsplay.stdout, 'tpl_same') as unknown[]).slice(1, 8)], 'a template with nothing to do reports the attributes of the file there', { detail });
  t.same(attributes(dirs.tsplay), attributes(dirs.ansible), 'the same files, modes, sizes and links on disk');
});
