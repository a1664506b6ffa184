import { fileURLToPath } from 'node:url';
import type { Table } from './index.js';

// The script is a file of the controller (this repository): its content is sent to the host.
const GREET = fileURLToPath(new URL('./files/greet.sh', import.meta.url)).replace(/\/dist\/tests\//, '/tests/');

const table: Table = () => [
  {
    name: 'the script runs on the host with its arguments, in chdir',
    args: { cmd: `${GREET} one "two words"`, chdir: '{{ test_dir }}' },
    plan: { changed: false, skipped: true },
    applied: { changed: true },
    idempotent: false,
    result: { rc: 0, stdout: /^args: one two words\ncwd: \/.*tsplay-case-[^/\n]*\n$/, stderr: 'to stderr\n', stderr_lines: ['to stderr'] },
  },
  {
    name: 'creates: runs once, then the path exists and it is skipped',
    args: { cmd: `${GREET} --mark {{ test_dir }}/mark`, creates: '{{ test_dir }}/mark' },
    plan: { changed: true },
    expect: { mark: '' },
  },
  {
    name: 'creates present: skipped',
    files: { mark: '' },
    args: { cmd: GREET, creates: '{{ test_dir }}/mark' },
    plan: { changed: false, skipped: true },
  },
  {
    name: 'removes absent: skipped',
    args: { cmd: GREET, removes: '{{ test_dir }}/nothing' },
    plan: { changed: false, skipped: true },
  },
  {
    name: 'executable runs the script',
    args: { cmd: `${GREET} x`, executable: '/bin/bash' },
    plan: { changed: false, skipped: true },
    applied: { changed: true },
    idempotent: false,
    result: { stdout: /^args: x\n/ },
  },
  {
    name: 'a script that is not there fails before anything runs',
    args: { cmd: '/nonexistent/tsplay-script.sh' },
    plan: { changed: false, failed: /could not find|cannot read|nonexistent/ },
  },
];
export default table;
