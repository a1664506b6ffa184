/** profile_tasks' lines, with a fake clock: the widths, the durations and the order of the summary. */
import t from 'tap';
import { profileTasks } from '../../lib/cli/profile-tasks.js';

t.test('task lines and the summary, longest first', async (t) => {
  let clock = Date.UTC(2026, 11, 7, 11, 0, 0);
  const lines: string[] = [];
  const reporter = profileTasks((s) => lines.push(...s.replace(/\n$/, '').split('\n')), () => clock);
  reporter({ type: 'task_start', name: 'short', kind: 'task', module: 'debug', hosts: ['h'] } as never);
  clock += 1_250;
  reporter({ type: 'task_start', name: 'long', kind: 'task', module: 'command', hosts: ['h'] } as never);
  clock += 61_005;
  reporter({ type: 'recap', stats: {} } as never);
  t.match(lines[0], /^\w+day 07 December 2026  \d\d:\d\d:00 [+-]\d{4} \(0:00:00\.000\) {7}0:00:00\.000 \*+ $/);
  t.match(lines[1], /\(0:00:01\.250\) {7}0:00:01\.250 \*+ $/);
  t.match(lines[2], /\(0:01:01\.005\) {7}0:01:02\.255 \*+ $/);
  t.equal(lines[0].length, 80, 'filled to 79 columns and a space, as the callback does');
  t.equal(lines[3], '='.repeat(79) + ' ');
  // Python's '{0:-<70}{1:->9}': the name filled to 70 columns, the time right-aligned in 9.
  t.equal(lines[4], `long ${'-'.repeat(65)}-- 61.01s`);
  t.equal(lines[5], `short ${'-'.repeat(64)}--- 1.25s`);
  t.equal(lines[4].length, 79);
});
