/**
 * `pipe`: the standard output of a command run on the controller by /bin/sh
 * (Python's shell=True), in the playbook's directory, trailing whitespace
 * stripped. Bounded: a command that runs longer than PIPE_TIMEOUT_MS is
 * killed, one that prints more than PIPE_MAX_OUTPUT bytes is killed too; both
 * fail the lookup instead of hanging or exhausting the controller's memory.
 */
import { spawnSync } from 'node:child_process';
import { lookupFailure, onlyOptions, type LookupEnv, type LookupPlugin } from './types.js';

export const PIPE_TIMEOUT_MS = 60_000;
export const PIPE_MAX_OUTPUT = 16 * 2 ** 20;

/** Runs `command` with /bin/sh and returns its standard output as text; a nonzero exit is Ansible's error. */
export function runController(command: string, env: LookupEnv, name: string): string {
  const r = spawnSync('/bin/sh', ['-c', command], {
    cwd: env.baseDir,
    input: '',
    stdio: ['pipe', 'pipe', 'inherit'],
    timeout: PIPE_TIMEOUT_MS,
    maxBuffer: PIPE_MAX_OUTPUT,
    killSignal: 'SIGKILL',
  });
  const err = r.error as NodeJS.ErrnoException | undefined;
  if (err?.code === 'ETIMEDOUT') throw lookupFailure(`lookup_plugin.${name}(${command}) did not finish within ${PIPE_TIMEOUT_MS / 1000} s and was killed`, 'a lookup runs while the task is templated; run long commands as a task (command/shell with delegate_to: localhost) instead');
  if (err?.code === 'ENOBUFS') throw lookupFailure(`lookup_plugin.${name}(${command}) printed more than ${PIPE_MAX_OUTPUT / 2 ** 20} MB and was killed`, 'read large outputs in a task, or filter them in the command');
  if (err) throw lookupFailure(`lookup_plugin.${name}(${command}) could not run: ${err.message}`);
  if (r.status !== 0) throw lookupFailure(`lookup_plugin.${name}(${command}) returned ${r.status ?? `signal ${r.signal}`}`);
  return r.stdout.toString('utf8');
}

export const pipe: LookupPlugin = (terms, kw, env) => {
  onlyOptions('pipe', kw, []);
  return terms.map((term) => runController(String(term), env, 'pipe').trimEnd());
};
