/** --json: one JSON event per line, every line parseable, ending with the recap and the exit code. */
import t from 'tap';
import path from 'node:path';
import { runPlaybook } from '../../lib/engine/run.js';
import { jsonReporter } from '../../lib/output/json.js';
import { localInventory, project } from './helpers.js';

t.test('every line is one event', async (t) => {
  const dir = project({
    hosts: localInventory,
    'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - debug:
        msg: "hello\\nwith a newline"
    - command: "false"
      when: inventory_hostname == 'b'
`,
  });
  let text = '';
  const r = await runPlaybook({ playbooks: [path.join(dir, 'site.yml')], inventory: [path.join(dir, 'hosts')], reporters: [jsonReporter((s) => (text += s))] });
  t.equal(r.exitCode, 2);
  t.ok(text.endsWith('\n'), 'ends with a newline');
  const lines = text.trimEnd().split('\n');
  const events = lines.map((l, i) => {
    try {
      return JSON.parse(l) as { type: string; time: string; [k: string]: unknown };
    } catch {
      t.fail(`line ${i + 1} is not JSON: ${l}`);
      return { type: '', time: '' };
    }
  });
  t.ok(events.every((e) => typeof e.type === 'string' && !Number.isNaN(Date.parse(e.time))), 'each has a type and a timestamp');
  t.same(events.map((e) => e.type).slice(0, 3), ['run_start', 'playbook_start', 'play_start']);
  t.same(events.map((e) => e.type).slice(-3), ['playbook_end', 'recap', 'run_end']);
  const recap = events.at(-2) as unknown as { stats: Record<string, { ok: number; failed: number; skipped: number }> };
  t.match(recap.stats, { a: { ok: 1, failed: 0, skipped: 1 }, b: { ok: 1, failed: 1, skipped: 0 } });
  t.equal((events.at(-1) as unknown as { exitCode: number }).exitCode, 2);
  const results = events.filter((e) => e.type === 'host_result');
  t.equal(results.length, 4, 'one host_result per host and task');
});
