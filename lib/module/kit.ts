/**
 * The module kit: everything a module needs, and all a module should import.
 * Published as `tsplay/module`; built-in modules use it too.
 *
 *   import { defineModule, reads, fileDiff } from 'tsplay/module';
 *
 *   interface Args { path: string; line: string }
 *
 *   export default defineModule<Args, string>({
 *     name: 'ensure_line',
 *     description: 'Makes sure a file contains a line.',
 *     examples: ['- ensure_line: { path: /etc/motd, line: "managed by tsplay" }'],
 *     schema: {
 *       type: 'object', additionalProperties: false, required: ['path', 'line'],
 *       properties: { path: { type: 'string' }, line: { type: 'string' } },
 *     },
 *     // Read in one round trip before plan(), with the task's become; cached per host.
 *     reads: (args) => [reads.file(args.path)],
 *     async plan(args, { host }) {
 *       const file = await host.read(args.path);          // served from the batch
 *       const before = file.text ?? '';
 *       if (before.split('\n').includes(args.line)) return { changed: false };
 *       const after = before + (before && !before.endsWith('\n') ? '\n' : '') + args.line + '\n';
 *       return { changed: true, diff: [fileDiff(args.path, before, after)], state: after };
 *     },
 *     async apply(args, { host }, plan) {
 *       await host.write(args.path, plan.state!);          // atomic, owner and mode kept
 *       return { changed: true };
 *     },
 *   });
 *
 * plan() gets a read-only host (a write there is an engine error); apply()
 * gets one that writes. The engine checks that apply() did what plan()
 * predicted (changed or not, the same files). Test a module with
 * `tsplay/testing` (a table of cases: start state, arguments, expected plan,
 * diff and end state).
 */
export { defineModule, ModuleError } from './define.js';
export type {
  ApplyContext,
  ApplyResult,
  ArgumentSchema,
  BaseContext,
  CheckMode,
  ModuleContext,
  ModuleDefinition,
  Plan,
  PlanContext,
  ReadContext,
  ResultData,
} from './define.js';
export type { Host, HostView, HostRunOptions } from './host.js';
export { reads, type Read, type RemoteFile } from '../connection/batch-read.js';
export type { WriteOptions, WriteResult } from '../connection/remote-file.js';
export type { BecomeOptions, ExecResult, FileStat } from '../connection/types.js';
export { CommandError, FileError, UnreachableError } from '../connection/types.js';
export { shellQuote } from '../connection/quote.js';
export { scriptInShell } from '../connection/stdin-script.js';
export { shlexSplit } from '../util/shlex-py.js';
// Own keys only: a key from host data ('__proto__') never reaches a prototype.
export { assignOwn, setOwn } from '../util/own.js';
export type { FileDiff } from '../output/diff-text.js';
export { TsplayError, isTsplayError } from '../errors.js';
export { evaluateCondition, evaluateExpression, renderString, renderValue, renderVar } from '../template/index.js';
// Whether a text came from a host (never to be templated): debug prints such a name as text.
export { isUnsafeText } from '../template/unsafe.js';
export { fileDiff, shellJoin } from './helpers.js';
/** `host:port`, `[v6]:port` and plain names split as Ansible's parse_address does (undefined: not a host name). */
export { parseAddress } from '../inventory/address.js';
