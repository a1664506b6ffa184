/**
 * get_url and uri through the real ansible-playbook 2.14 and tsplay, on this
 * machine (the local connection, each tool with a workdir of its own),
 * against one real HTTP server: the same host lines and debug output of
 * the registered results (the keys Ansible returns), the same recap and exit
 * code, the same files on disk with the same modes; a second run changes
 * only what Ansible changes again (uri with dest); under --check --diff the
 * same statuses and nothing written.
 */
import t from 'tap';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { HELLO, startHttpServer } from '../helpers/http-server.js';
import { bothOutputs, buildCli, compatDir, exec, ansibleEnv, parseRecap, runTsplay, sameRecapAndExit, sameSections, scratchDir, type Run } from './helpers.js';

const cli = buildCli('parity-net');
const server = await startHttpServer();
t.teardown(() => server.close());

const hello_sha256 = createHash('sha256').update(HELLO).digest('hex');

async function both(playbook: string, dirs: { ansible: string; tsplay: string }, extra: string[] = []): Promise<{ ansible: Run; tsplay: Run }> {
  const args = (w: string) => [path.join('playbooks', playbook), '-i', 'inventories/one.ini', '-e', `workdir=${w}`, '-e', `base=${server.url}`, '-e', `hello_sha256=${hello_sha256}`, ...extra];
  // One after the other: the server sees each tool's requests apart.
  const ansible = await exec('ansible-playbook', args(dirs.ansible), { cwd: compatDir, env: ansibleEnv });
  const tsplay = await runTsplay(cli, args(dirs.tsplay));
  return { ansible, tsplay };
}

function workdirs(): { ansible: string; tsplay: string } {
  const scratch = scratchDir('tsplay-parity-net-');
  const dirs = { ansible: path.join(scratch, 'ansible'), tsplay: path.join(scratch, 'tsplay') };
  mkdirSync(dirs.ansible);
  mkdirSync(dirs.tsplay);
  return dirs;
}

/** Every file of a workdir with its mode and bytes. */
function tree(dir: string): Record<string, { mode: string; content: string }> {
  const out: Record<string, { mode: string; content: string }> = {};
  for (const f of readdirSync(dir).sort()) {
    const p = path.join(dir, f);
    out[f] = { mode: (statSync(p).mode & 0o7777).toString(8), content: readFileSync(p, 'utf8') };
  }
  return out;
}

t.test('get_url and uri: the same results, recap and files, then a second run', async (t) => {
  const dirs = workdirs();
  const first = await both('net.yml', dirs);
  const detail = bothOutputs(first);
  sameRecapAndExit(t, first, detail);
  t.equal(first.ansible.code, 0, 'the playbook passes under ansible-playbook', { detail });
  sameSections(t, first, { detail });
  t.same(tree(dirs.tsplay), tree(dirs.ansible), 'the same files, bytes and modes');
  t.same(Object.keys(tree(dirs.tsplay)), ['auth.txt', 'body.txt', 'from-header.txt', 'hello.txt'], 'what was downloaded, and nothing else (no temp file left)');

  const second = await both('net.yml', dirs);
  sameRecapAndExit(t, second, bothOutputs(second));
  // uri with dest writes every time, in both.
  t.equal(parseRecap(second.tsplay.stdout).solo?.changed, 1, 'a second run changes only the uri with dest');
});

t.test('--check --diff: the same statuses, and nothing written', async (t) => {
  const dirs = workdirs();
  const run = await both('net-check.yml', dirs, ['--check', '--diff']);
  const detail = bothOutputs(run);
  sameRecapAndExit(t, run, detail);
  sameSections(t, run, { detail });
  t.same(readdirSync(dirs.tsplay), [], 'tsplay wrote nothing');
  t.same(readdirSync(dirs.ansible), [], 'ansible-playbook wrote nothing');
  t.notOk(existsSync(path.join(dirs.tsplay, 'hello.txt')));
});

t.test('url_password never reaches the output, even at -vvv', async (t) => {
  const dirs = workdirs();
  const args = ['playbooks/net-check.yml', '-i', 'inventories/one.ini', '-e', `workdir=${dirs.tsplay}`, '-e', `base=${server.url}`, '--check', '-vvv'];
  const run = await runTsplay(cli, args);
  t.equal(run.code, 0, 'the check run passes', { detail: run.stdout + run.stderr });
  t.match(run.stdout, /TASK \[basic auth, predicted\][^]*changed: \[solo\]/, 'the authenticated download is predicted');
  t.notMatch(run.stdout + run.stderr, /s3cret-pw/, 'the password is masked');
});

t.test('uri never sent the DELETE of the check-mode run', async (t) => {
  t.notOk(server.requests.some((r) => r.method === 'DELETE'), 'no DELETE reached the server');
});
