import type { Table } from './index.js';

// raw cannot predict anything: skipped in check mode, and every real run changes.
const table: Table = () => [
  {
    name: 'the line runs through the shell; output as the host printed it',
    args: { cmd: 'echo hello; echo oops >&2' },
    plan: { changed: false, skipped: true },
    applied: { changed: true },
    idempotent: false,
    result: { rc: 0, stdout: 'hello\n', stdout_lines: ['hello'], stderr: 'oops\n', stderr_lines: ['oops'] },
  },
  {
    name: 'what it does is done',
    args: { cmd: 'printf made > {{ test_dir }}/made' },
    plan: { changed: false, skipped: true },
    applied: { changed: true },
    idempotent: false,
    expect: { made: 'made' },
  },
  {
    name: 'executable chooses the shell',
    args: { cmd: 'echo ${BASH_VERSION:+bash}', executable: '/bin/bash' },
    plan: { changed: false, skipped: true },
    applied: { changed: true },
    idempotent: false,
    result: { stdout: 'bash\n' },
  },
  {
    name: 'a non-zero exit code fails the task, with the output',
    args: { cmd: 'echo before; exit 3' },
    plan: { changed: false, skipped: true },
    applied: { changed: true, failed: 'non-zero return code' },
    result: { rc: 3, stdout: 'before\n' },
  },
];
export default table;
