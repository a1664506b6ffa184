/**
 * mode, owner and group on lineinfile, blockinfile and replace, through the
 * real ansible-playbook 2.14 and tsplay on this machine (the local connection,
 * a workdir each), playbooks/edit-attrs.yml: the same statuses, messages
 * ("... and ownership, perms or SE linux context changed"), attribute diffs,
 * recap and files, for real and under --check.
 */
import t from 'tap';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { bothOutputs, buildCli, parseSections, runParityCase, sameRecapAndExit, sameSections, type ParityRun } from './helpers.js';

const cli = buildCli('parity-edit-attrs');

/** Each file the playbook left: its mode, owner and content. */
function filesIn(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir).sort().map((n) => {
      const p = path.join(dir, n);
      const s = statSync(p);
      return [n, `${(s.mode & 0o7777).toString(8)} ${s.uid}:${s.gid} ${JSON.stringify(readFileSync(p, 'utf8'))}`];
    }),
  );
}

/** The message a debug task printed, by the task's name. */
function debugMsg(run: ParityRun['tsplay'], task: string): unknown {
  const section = parseSections(run.stdout).find((s) => s.banner === `TASK [${task}]`);
  const entry = section?.lines[0];
  return entry ? JSON.parse(entry.slice(entry.indexOf('=> {') + 3)).msg : undefined;
}

const AND = ' and ownership, perms or SE linux context changed';

/** Both runs' output with each one's workdir written W, so the host lines compare. */
function withoutWorkdirs(run: ParityRun): ParityRun {
  const strip = (r: ParityRun['tsplay'], dir: string) => ({ ...r, stdout: r.stdout.split(dir).join('W') });
  return { ...run, ansible: strip(run.ansible, run.workdirs.ansible), tsplay: strip(run.tsplay, run.workdirs.tsplay) };
}

t.test('for real: the same results, messages and files as ansible-playbook', async (t) => {
  const run = await runParityCase(cli, { playbook: 'edit-attrs.yml', inventory: 'inventories/one.ini' });
  const detail = bothOutputs(run);
  sameRecapAndExit(t, run, detail);
  t.equal(run.ansible.code, 0, 'the playbook passes under ansible-playbook', { detail });
  sameSections(t, withoutWorkdirs(run), { detail });
  t.same(filesIn(run.workdirs.tsplay), filesIn(run.workdirs.ansible), 'the same files: content, mode, owner', { detail });
  const said = debugMsg(run.tsplay, 'what the editors said') as unknown[];
  t.same(
    said?.[0],
    ['ownership, perms or SE linux context changed', `line added${AND}`, '', `line added${AND}`, 'line added', `Block inserted${AND}`, '', `File created${AND}`, `1 replacements made${AND}`, 'ownership, perms or SE linux context changed'],
    "each editor's message, in Ansible's words",
    { detail },
  );
  t.same(said?.[1], [true, true, false, true, true, true, false, true, true, true], 'changed', { detail });
  t.same(said?.[2], { before: { mode: '0600' }, after: { mode: '0644' }, before_header: `${run.workdirs.tsplay}/conf (file attributes)`, after_header: `${run.workdirs.tsplay}/conf (file attributes)` }, 'the attribute diff', { detail });
  t.same(said?.[5], ['0640', '0600', '0644', '0600', '0600', '0600'], 'the modes left', { detail });
  t.same(said?.[6], ['root', 'root', 'root', 'nobody', 'root', 'root'], 'the owners left', { detail });
});

t.test('under --check: the same predictions, and no file changed', async (t) => {
  const run = await runParityCase(cli, { playbook: 'edit-attrs.yml', inventory: 'inventories/one.ini', args: ['--check'] });
  const detail = bothOutputs(run);
  sameRecapAndExit(t, run, detail);
  sameSections(t, withoutWorkdirs(run), { detail });
  t.same(filesIn(run.workdirs.tsplay), filesIn(run.workdirs.ansible), 'only the seeded files, as they were', { detail });
  t.same(Object.keys(filesIn(run.workdirs.tsplay)), ['block.conf', 'conf', 'rep.conf'], 'no file created', { detail });
  const said = debugMsg(run.tsplay, 'what the editors said') as unknown[];
  t.equal((said?.[0] as string[])?.[3], 'line added', 'a file check mode would create: no word of its attributes, as Ansible stops before them', { detail });
});
