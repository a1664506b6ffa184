import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testModule, type ModuleCase } from 'tsplay/testing';
import ensureLine from '../modules/ensure_line.js';

// Each case: the start state (files under {{ test_dir }}), the task's arguments,
// what check mode must predict, and the end state after a real run.
const cases: ModuleCase[] = [
  {
    name: 'adds the line at the end, keeping the mode',
    files: { motd: { content: 'hello\n', mode: 0o640 } },
    args: { path: '{{ test_dir }}/motd', line: 'managed by tsplay' },
    plan: { changed: true },
    diff: [{ path: 'motd', before: 'hello\n', after: 'hello\nmanaged by tsplay\n' }],
    expect: { motd: { content: 'hello\nmanaged by tsplay\n', mode: 0o640 } },
    result: { msg: 'line added', backup_file: null },
  },
  {
    name: 'a line already there changes nothing',
    files: { motd: 'managed by tsplay\nhello\n' },
    args: { path: '{{ test_dir }}/motd', line: 'managed by tsplay' },
    plan: { changed: false },
    diff: [],
    expect: { motd: 'managed by tsplay\nhello\n' },
  },
  {
    name: 'a file without a final newline gets one before the line',
    files: { motd: 'hello' },
    args: { path: '{{ test_dir }}/motd', line: 'x' },
    plan: { changed: true },
    expect: { motd: 'hello\nx\n' },
  },
  {
    name: 'state: absent removes every copy, with a backup',
    files: { 'hosts.allow': 'sshd: ALL\nALL: LOCAL\nsshd: ALL\n' },
    args: { path: '{{ test_dir }}/hosts.allow', line: 'sshd: ALL', state: 'absent', backup: true },
    plan: { changed: true },
    diff: [{ path: 'hosts.allow', after: 'ALL: LOCAL\n' }],
    expect: { 'hosts.allow': 'ALL: LOCAL\n' },
    result: { backup_file: /hosts\.allow\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/ },
  },
  {
    name: 'a missing file fails, naming the way out',
    args: { path: '{{ test_dir }}/missing', line: 'x' },
    plan: { changed: false, failed: /missing does not exist \(create: true creates it\)/ },
    expect: { missing: null },
  },
  {
    name: 'create: true creates it',
    args: { path: '{{ test_dir }}/new', line: 'x', create: true },
    plan: { changed: true },
    diff: [{ path: 'new', before: '', after: 'x\n' }],
    expect: { new: 'x\n' },
  },
  {
    name: 'a missing file has no line to remove',
    args: { path: '{{ test_dir }}/missing', line: 'x', state: 'absent' },
    plan: { changed: false },
    expect: { missing: null },
  },
];

for (const report of await testModule(ensureLine, cases)) {
  test(`ensure_line: ${report.name}`, () => assert.deepEqual(report.problems, []));
}
