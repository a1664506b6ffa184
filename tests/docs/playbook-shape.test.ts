/**
 * The recovery playbooks stay readable during an outage: each loads, no
 * file is over 150 lines, each play names its own hosts (no `hosts: all`
 * steered by `meta: end_host`), and every task file under playbooks/tasks/
 * is used and listed in docs/playbooks.md, the map from task to chapter.
 */
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPlaybook } from '../../lib/playbook/load.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DIR = join(REPO, 'playbooks');
const playbooks = readdirSync(DIR).filter((f) => f.endsWith('.yml')).sort();
const taskFiles = readdirSync(join(DIR, 'tasks')).filter((f) => f.endsWith('.yml')).sort();
const lines = (file: string) => readFileSync(file, 'utf8').split('\n').length - 1;

t.same(playbooks, ['add-etcd-member.yml', 'cluster-status.yml', 'decommission-master.yml', 'defrag.yml', 'etcd-backup.yml', 'restore-quorum.yml'], 'the six playbooks');

for (const name of playbooks) {
  t.test(name, async (t) => {
    const file = join(DIR, name);
    const book = await loadPlaybook(file);
    t.ok(book.plays.length > 0, 'it loads, with its plays');
    t.ok(lines(file) <= 150, `${lines(file)} lines, at most 150`);
    const text = readFileSync(file, 'utf8');
    t.notMatch(text, /^\s*hosts:\s*all\s*$/m, 'no play on all hosts');
    t.notMatch(text, /end_host/, 'no meta: end_host');
  });
}

t.test('every task file is imported by a playbook or another task file, and mapped in docs/playbooks.md', async (t) => {
  const sources = [...playbooks.map((f) => join(DIR, f)), ...taskFiles.map((f) => join(DIR, 'tasks', f))].map((f) => readFileSync(f, 'utf8')).join('\n');
  const doc = readFileSync(join(REPO, 'docs/playbooks.md'), 'utf8');
  for (const f of taskFiles) {
    t.ok(sources.includes(`tasks/${f}`) || sources.includes(`import_tasks: ${f}`), `${f} is imported`);
    t.ok(doc.includes(f), `${f} is in docs/playbooks.md`);
  }
});
