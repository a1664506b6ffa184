import type { Table } from './index.js';

const table: Table = ({ user }) => [
  {
    name: 'runs the command: skipped in check mode, changed when run, every time',
    args: { cmd: 'touch {{ test_dir }}/made' },
    plan: { changed: false, skipped: true },
    applied: { changed: true },
    expect: { made: '' },
    result: { rc: 0 },
    idempotent: false,
  },
  {
    name: 'creates: absent, so it would run and does; then it does not',
    args: { cmd: 'touch {{ test_dir }}/made', creates: '{{ test_dir }}/made' },
    plan: { changed: true },
    expect: { made: '' },
  },
  {
    name: 'creates: present, nothing to do',
    files: { made: 'x' },
    args: { cmd: 'touch {{ test_dir }}/other', creates: '{{ test_dir }}/made' },
    plan: { changed: false },
    expect: { other: null, made: 'x' },
    result: { stdout: /skipped, since .*made exists/ },
  },
  {
    name: 'removes: absent, nothing to do',
    args: { cmd: 'rm {{ test_dir }}/gone', removes: '{{ test_dir }}/gone' },
    plan: { changed: false },
  },
  {
    name: 'argv words reach the program whole (no shell)',
    args: { argv: ['sh', '-c', 'printf "%s" "$1" > "$2"', 'sh', 'a b; $(x)', '{{ test_dir }}/out'] },
    plan: { changed: false, skipped: true },
    applied: { changed: true },
    expect: { out: 'a b; $(x)' },
    idempotent: false,
  },
  {
    name: 'a non-zero exit code fails the task with rc and output',
    args: { cmd: 'sh -c "echo oops >&2; exit 3"' },
    plan: { changed: false, skipped: true },
    applied: { changed: true, failed: 'non-zero return code' },
    result: { rc: 3, stderr: 'oops' },
  },
  {
    name: 'runs as the login user without become',
    args: { cmd: 'id -un' },
    plan: { changed: false, skipped: true },
    applied: { changed: true },
    result: { stdout: user },
    idempotent: false,
  },
  {
    name: 'runs as root with become (the handle carries it)',
    args: { cmd: 'id -un' },
    become: true,
    plan: { changed: false, skipped: true },
    applied: { changed: true },
    result: { stdout: 'root' },
    idempotent: false,
  },
];
export default table;
