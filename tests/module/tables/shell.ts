import type { Table } from './index.js';

const table: Table = () => [
  {
    name: 'pipes and redirections work',
    args: { cmd: 'echo hi | tr a-z A-Z > {{ test_dir }}/o' },
    plan: { changed: false, skipped: true },
    applied: { changed: true },
    expect: { o: 'HI\n' },
    idempotent: false,
  },
  {
    name: 'creates makes it idempotent',
    args: { cmd: 'echo once >> {{ test_dir }}/log', creates: '{{ test_dir }}/log' },
    plan: { changed: true },
    expect: { log: 'once\n' },
  },
  {
    name: 'chdir and the task environment',
    args: { cmd: 'pwd > here', chdir: '{{ test_dir }}' },
    plan: { changed: false, skipped: true },
    applied: { changed: true },
    idempotent: false,
  },
  {
    name: 'become: root',
    args: { cmd: 'id -u' },
    become: true,
    plan: { changed: false, skipped: true },
    applied: { changed: true },
    result: { stdout: '0' },
    idempotent: false,
  },
];
export default table;
