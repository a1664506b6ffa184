/**
 * The auditor's check on the lab: the restore playbook's check-run record
 * and real-run record (quorum lost, master-1 the survivor, master-0 and
 * master-2 back without data), read back by `tsplay audit`.
 */
import t from 'tap';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type Io } from '../../lib/cli/main.js';
import { ensureLabUp, lab, resetLab } from '../helpers/lab.js';
import { RESTORE, inventoryCopy, tsplay } from '../playbooks/helpers.js';

t.setTimeout(1_800_000);

async function audit(args: string[]) {
  let out = '';
  let err = '';
  const io: Io = { out: (s) => (out += s), err: (s) => (err += s), isTTY: false };
  const code = await main(['audit', ...args], io);
  return { code, out, err };
}

t.before(async () => {
  await ensureLabUp();
});

t.teardown(async () => {
  // Leave the lab healthy for the next user.
  await resetLab();
});

t.test('restore: the check record, the real record, and where they differ', async (t) => {
  await resetLab();
  const broke = await lab('break-quorum', '--keep', 'master-1');
  t.equal(broke.rc, 0, 'quorum lost');
  for (const h of ['master-0', 'master-2']) for (const verb of ['wipe-etcd', 'start']) t.equal((await lab(verb, h)).rc, 0, `lab ${verb} ${h}`);
  const inventory = inventoryCopy(3);
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-audit-lab-'));
  const checkLog = join(dir, 'check.jsonl');
  const realLog = join(dir, 'real.jsonl');
  const check = await tsplay(RESTORE, inventory, '--check', '--diff', '--log', checkLog);
  t.equal(check.rc, 0, 'the check run exits 0');
  const summary = await audit([checkLog]);
  t.equal(summary.code, 0, 'a check record alone: exit 0');
  t.comment(summary.out);
  t.match(summary.out, /Would change: [1-9]\d* file\(s\), [1-9]\d* unit\(s\), [1-9]\d* etcd member change\(s\)/, 'files, units and etcd members');
  t.match(summary.out, /master-0[\s\S]*file \/etc\/origin\/master\/master-config\.yaml: would be changed/, 'master-config.yaml on master-0');
  t.match(summary.out, /master-1\n[\s\S]*unit etcd/, 'the etcd unit on master-1');
  t.match(summary.out, /etcd member \(etcd_snapshot\): would save a snapshot/, 'the snapshot on the survivor');
  t.match(summary.out, /cannot predict: task "A\.4 member add on a running member \(as a learner\)" \[etcd_member\] .* runs only in a real run/, 'the member adds, which depend on earlier steps');

  const real = await tsplay(RESTORE, inventory, '--diff', '--log', realLog);
  t.equal(real.rc, 0, 'the real run exits 0');
  const cmp = await audit([checkLog, realLog]);
  t.comment(cmp.out.slice(cmp.out.indexOf('Prediction:')));
  t.ok([0, 3].includes(cmp.code), `exit 0 or 3 (${cmp.code})`);
  t.match(cmp.out, /\d+ result\(s\) compared: \d+ as predicted, \d+ difference\(s\); \d+ could not be predicted\./);
  t.match(cmp.out, /NOT PREDICTABLE[\s\S]*runs only in a real run|could not be predicted/, 'the steps check mode cannot predict are listed apart');
  // Every difference names a host, a task with its file:line and both records' lines.
  const diffs = cmp.out.includes('WHERE THE OUTCOME DIFFERS') ? cmp.out.split('WHERE THE OUTCOME DIFFERS FROM THE PREDICTION')[1].split('NOT PREDICTABLE')[0] : '';
  for (const line of diffs.split('\n').filter((l) => l.startsWith('      task '))) t.match(line, /(restore-quorum|tasks\/[\w-]+)\.yml:\d+; (check .*check\.jsonl:\d+, real .*real\.jsonl:\d+|.*jsonl:\d+)/, 'a difference names the task and the record lines');
  t.ok(readFileSync(realLog, 'utf8').includes('"mode":"applied"'), 'the real record says applied');
  t.notMatch(cmp.out, 'it changed on the host between the two runs', 'nothing else touched the files between the runs');
});
