/**
 * What ansible-core's lineinfile, blockinfile and include_vars targets check,
 * through the real ansible-playbook 2.14 and tsplay on this machine (the local
 * connection, a workdir each), playbooks/edit-targets.yml: the `diff` keyword
 * on a task and a block (the `diff` an editor's result carries, and the diffs
 * printed under --diff), lineinfile's backrefs, its warning in the result and
 * validate's words, blockinfile's CRLF lines, include_vars in a role (a dir
 * under the role's vars/, hash_behaviour=merge, templates rendered when used).
 */
import t from 'tap';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { bothOutputs, buildCli, parseSections, runParityCase, sameRecapAndExit, sameSections, type ParityRun } from './helpers.js';

const cli = buildCli('parity-edit-targets');

/** The files the playbook left in a workdir, byte for byte. */
function filesIn(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((n) => [n, readFileSync(path.join(dir, n), 'latin1')]));
}

/** The message a debug task printed, by the task's name. */
function debugMsg(run: ParityRun['tsplay'], task: string): unknown {
  const section = parseSections(run.stdout).find((s) => s.banner === `TASK [${task}]`);
  const entry = section?.lines[0];
  return entry ? JSON.parse(entry.slice(entry.indexOf('=> {') + 3)).msg : undefined;
}

/** The headers of the diffs a run printed, the workdir taken out. */
function diffHeaders(stdout: string, workdir: string): string[] {
  return stdout.split('\n').filter((l) => /^(---|\+\+\+) (before|after)/.test(l)).map((l) => l.split(workdir).join('W').trimEnd());
}

t.test('without --diff: the same results, values and files as ansible-playbook', async (t) => {
  const run = await runParityCase(cli, { playbook: 'edit-targets.yml', inventory: 'inventories/one.ini' });
  const detail = bothOutputs(run);
  sameRecapAndExit(t, run, detail);
  t.equal(run.ansible.code, 0, 'the playbook passes under ansible-playbook', { detail });
  sameSections(t, run, { detail });
  t.same(filesIn(run.workdirs.tsplay), filesIn(run.workdirs.ansible), 'the same files, byte for byte (CRLF lines kept)');
  // What a user reads from the registered results, spelled out.
  t.same(
    debugMsg(run.tsplay, 'the diff each result carries'),
    ['2', 'W/conf (content)', 'a=1\nREF x REF\n', 'a=1\nREF x REF\nb=2\n', ['after_header', 'before_header'], '|', 'W/conf', 'a=1\nREF x REF\nb=2\nc=4\n', false, ''],
    'diff: true on a task and a block fills the result diff; without diff mode its texts are empty; diff: false turns it off',
    { detail },
  );
  const edits = debugMsg(run.tsplay, 'what the edits did') as unknown[];
  t.equal(edits?.[0], 'line replaced False', 'backrefs replace from the match; without a match nothing changes', { detail });
  t.match(edits?.[1], [/^The regular expression is an empty string/], "lineinfile's warning is in the result's warnings", { detail });
  t.equal(edits?.[2], 'validate must contain %s: /bin/true', "validate without %s fails in Ansible's words", { detail });
  t.equal(edits?.[5], 'unix\ndos\r\n# BEGIN ANSIBLE MANAGED BLOCK\none\r\ntwo\r\n# END ANSIBLE MANAGED BLOCK\nunix\n', "blockinfile keeps each line's end, the block's CRLF too", { detail });
  t.same(
    debugMsg(run.tsplay, 'edit_vars : what the role loaded, templates rendered when used'),
    [['10-base.yml', '20-override.yml'], 'hello from base', { port: 80, tls: true }, 'hello from base', '{{ site_name }} stays text'],
    "include_vars in a role: dir under the role's vars/, hash_behaviour=merge, templates rendered, !unsafe kept as text",
    { detail },
  );
  t.match(debugMsg(run.tsplay, 'edit_vars : what include_vars says about it'), /^Could not find file on the Ansible Controller/, 'an empty file name fails in Ansible words', { detail });
});

t.test('with --diff: the same diffs printed, none for a task with diff: false', async (t) => {
  const run = await runParityCase(cli, { playbook: 'edit-targets.yml', inventory: 'inventories/one.ini', args: ['--diff'] });
  const detail = bothOutputs(run);
  sameRecapAndExit(t, run, detail);
  sameSections(t, run, { detail });
  const headers = diffHeaders(run.tsplay.stdout, run.workdirs.tsplay);
  t.same(headers, diffHeaders(run.ansible.stdout, run.workdirs.ansible), 'the same diff headers in the same order', { detail });
  t.notOk(run.tsplay.stdout.includes('+d=5'), 'the task with diff: false printed no diff', { detail });
  t.ok(run.tsplay.stdout.includes('+b=2'), 'the other edits printed theirs', { detail });
});
