import { setTimeout as sleepFor } from 'node:timers/promises';
import { CommandError, defineModule, ModuleError, shellQuote, type ApplyContext, type PlanContext } from '../lib/module/kit.js';

interface Args {
  boot_time_command: string;
  connect_timeout?: number | string;
  msg: string;
  post_reboot_delay: number | string;
  pre_reboot_delay: number | string;
  reboot_command?: string;
  reboot_timeout: number | string;
  search_paths: string | string[];
  test_command: string;
  [other: string]: unknown;
}

/** What plan() found that apply() needs: the boot id before, and the command that reboots. */
interface State {
  bootId: string;
  command: string;
}

const OPTIONS = ['boot_time_command', 'connect_timeout', 'msg', 'post_reboot_delay', 'pre_reboot_delay', 'reboot_command', 'reboot_timeout', 'search_paths', 'test_command'];
const DEFAULT_SEARCH_PATHS = ['/sbin', '/bin', '/usr/sbin', '/usr/bin', '/usr/local/sbin'];
/** A try's bound when `connect_timeout` is not given: the SSH connection's own default (10 s), as Ansible's. */
const DEFAULT_TRY_SECONDS = 10;
/** Ansible's back-off between tries: 2^n seconds plus up to one, at most 12 plus up to one. */
const MAX_FAIL_SLEEP = 12;

/** Ansible's int(): 2.7 is 2, "3" is 3; a negative delay counts as 0. */
const seconds = (v: number | string) => Math.trunc(Number(v));
const delay = (v: number | string) => Math.max(0, seconds(v));

const secondsSchema = (description: string, fallback?: number) => ({
  anyOf: [
    { type: 'integer' },
    { type: 'string', pattern: '^\\s*[-+]?\\d+\\s*$' },
  ],
  ...(fallback === undefined ? {} : { default: fallback }),
  description,
});

/** A Python list's repr, as Ansible's messages print `search_paths`. */
const pyList = (items: string[]) => `[${items.map((s) => `'${s}'`).join(', ')}]`;

/**
 * The reboot command's path: an absolute one as given, else the first of
 * `search_paths` that holds it (Ansible runs `find` there for it).
 */
async function shutdownPath(bin: string, paths: string[], ctx: PlanContext): Promise<string> {
  if (bin.startsWith('/')) return bin;
  const script = `for d in ${paths.map(shellQuote).join(' ')}; do if [ -e "$d"/${shellQuote(bin)} ]; then printf '%s/%s\\n' "$d" ${shellQuote(bin)}; exit 0; fi; done; exit 1`;
  const r = await ctx.host.run(script, { allowFailure: true });
  const found = r.stdout.trim().split('\n')[0];
  if (r.rc !== 0 || !found) throw new ModuleError(`Unable to find command "${bin}" in search paths: ${pyList(paths)}`, { result: { rebooted: false } });
  return found.replace(/\/{2,}/g, '/');
}

/** The boot id (or what `boot_time_command` prints); a failure is Ansible's message. */
async function bootTime(args: Args, ctx: PlanContext, timeoutMs: number): Promise<string> {
  const r = await ctx.host.run(args.boot_time_command, { allowFailure: true, timeoutMs });
  if (r.rc !== 0) throw new ModuleError(`reboot: failed to get host boot time info, rc: ${r.rc}, stdout: ${r.stdout}, stderr: ${r.stderr}`, { result: { rebooted: false } });
  return r.stdout.trim();
}

/** Bounds a step by `ms`, connection set-up included (a host half-way down may accept and never answer). */
async function within<T>(ms: number, step: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  step.catch(() => {}); // it may lose the race and fail later
  try {
    return await Promise.race([step, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Ansible's do_until_success_or_timeout: tries `attempt` until it succeeds,
 * with a growing pause between tries, for `timeout` seconds; then fails with
 * `Timed out waiting for <what> (timeout=N)`.
 */
async function untilSuccess(what: string, timeout: number, ctx: ApplyContext, attempt: () => Promise<void>): Promise<void> {
  const end = Date.now() + timeout * 1000;
  for (let fails = 0; Date.now() < end; fails++) {
    try {
      await attempt();
      return;
    } catch (e) {
      if (ctx.signal.aborted) throw e;
      const jitter = Math.random();
      const pause = Math.min(2 ** fails, MAX_FAIL_SLEEP) + jitter;
      ctx.log(`reboot: ${what} fail '${(e as Error).message}', retrying in ${pause.toFixed(2)} seconds...`);
      await sleepFor(Math.max(0, Math.min(pause * 1000, end - Date.now())), undefined, { signal: ctx.signal });
    }
  }
  throw new Error(`Timed out waiting for ${what} (timeout=${timeout})`);
}

export default defineModule<Args, State>({
  name: 'reboot',
  description:
    "Ansible's reboot: reads the host's boot id (`boot_time_command`), runs `shutdown -r <minutes> <msg>` (or `reboot_command`), then opens new connections until the boot id has changed and `test_command` succeeds, each step within `reboot_timeout` seconds. The task ends only when the host is back, and the next task runs on the new connection. Results: `rebooted`, `elapsed` (whole seconds). Refuses the local connection (it would reboot the controller); in check mode it reports changed and does nothing.",
  examples: [
    '- reboot:',
    '- name: reboot after the kernel update\n  reboot:\n    msg: kernel update\n    reboot_timeout: 900',
    '- reboot:\n    reboot_command: systemctl reboot\n    test_command: systemctl is-active etcd',
  ],
  schema: {
    type: 'object',
    // Unknown options fail the task with Ansible's own words, and only outside check mode, as Ansible's action does.
    additionalProperties: true,
    properties: {
      boot_time_command: { type: 'string', minLength: 1, default: 'cat /proc/sys/kernel/random/boot_id', description: 'A command whose output changes with every boot; the host counts as rebooted once it prints something else (and not nothing).' },
      connect_timeout: secondsSchema('Seconds one try after the reboot (a new connection and the boot-time command through it) may take; default the connection\'s 10.'),
      msg: { type: 'string', default: 'Reboot initiated by Ansible', description: "The message `shutdown` shows the host's users." },
      post_reboot_delay: secondsSchema('Seconds to wait after the reboot command before the first try; counted in `elapsed`.', 0),
      pre_reboot_delay: secondsSchema('Seconds `shutdown` waits before rebooting; Linux counts whole minutes, so less than 60 is now.', 0),
      reboot_command: { type: 'string', minLength: 1, description: 'The command that reboots, instead of `shutdown -r`; its first word is looked up in `search_paths` unless it is an absolute path.' },
      reboot_timeout: secondsSchema('Seconds for the boot id to change, and again for `test_command` to succeed; then the task fails.', 600),
      search_paths: {
        anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
        default: DEFAULT_SEARCH_PATHS,
        description: 'Folders searched, in order, for the reboot command (a string is a comma-separated list).',
      },
      test_command: { type: 'string', minLength: 1, default: 'whoami', description: 'A command that must succeed on the rebooted host before the task ends.' },
    },
  },
  async plan(args, ctx) {
    if (ctx.vars.ansible_connection === 'local') {
      throw new ModuleError('Running reboot with local connection would reboot the control node.', { result: { elapsed: 0, rebooted: false } });
    }
    if (ctx.check) return { changed: true, result: { elapsed: 0, rebooted: true } };
    const unknown = Object.keys(args).filter((k) => !OPTIONS.includes(k));
    if (unknown.length) throw new ModuleError(`Invalid options for reboot: ${unknown.join(',')}`);
    const bootId = await bootTime(args, ctx, (args.connect_timeout === undefined ? DEFAULT_TRY_SECONDS : seconds(args.connect_timeout)) * 1000);
    // A string is a comma-separated list, as Ansible's check_type_list reads it.
    const paths = typeof args.search_paths === 'string' ? args.search_paths.split(',').map((p) => p.trim()) : args.search_paths;
    let command: string;
    if (args.reboot_command !== undefined) {
      const [bin, ...rest] = args.reboot_command.split(' ');
      command = `${shellQuote(await shutdownPath(bin, paths, ctx))} ${rest.join(' ')}`;
    } else {
      const minutes = Math.floor(delay(args.pre_reboot_delay) / 60);
      command = `${shellQuote(await shutdownPath('shutdown', paths, ctx))} -r ${minutes} ${shellQuote(args.msg)}`;
    }
    return { changed: true, state: { bootId, command } };
  },
  async apply(args, ctx, plan) {
    const { bootId, command } = plan.state as State;
    const timeout = seconds(args.reboot_timeout);
    const tryMs = (args.connect_timeout === undefined ? DEFAULT_TRY_SECONDS : seconds(args.connect_timeout)) * 1000;
    let reboot;
    try {
      // The host may drop the connection before the command returns: that is the reboot under way.
      reboot = await within(Math.max(tryMs, 30_000), ctx.host.run(command, { allowFailure: true }));
    } catch (e) {
      if (ctx.signal.aborted || e instanceof CommandError) throw e;
      ctx.log(`reboot: the connection ended while the reboot command ran (expected): ${(e as Error).message}`);
    }
    const start = Date.now();
    const elapsed = () => Math.floor((Date.now() - start) / 1000);
    if (reboot && reboot.rc !== 0) {
      throw new ModuleError(`Reboot command failed. Error was: '${reboot.stdout.trim()}, ${reboot.stderr.trim()}'`, { result: { rebooted: false, elapsed: elapsed() } });
    }
    const postDelay = delay(args.post_reboot_delay);
    if (postDelay) await sleepFor(postDelay * 1000, undefined, { signal: ctx.signal });
    try {
      await untilSuccess('last boot time check', timeout, ctx, async () => {
        await ctx.reconnect?.();
        const now = await within(tryMs, bootTime(args, ctx, tryMs));
        if (now === '' || now === bootId) throw new Error('boot time has not changed');
      });
      await untilSuccess('post-reboot test command', timeout, ctx, async () => {
        try {
          const r = await within(tryMs, ctx.host.run(args.test_command, { allowFailure: true, timeoutMs: tryMs }));
          if (r.rc !== 0) throw new ModuleError(`Test command failed: ${r.stderr} ${r.stdout}`);
        } catch (e) {
          // Not the command's answer but the connection's failure: another reboot may have ended it.
          if (!(e instanceof ModuleError) && !ctx.signal.aborted) await ctx.reconnect?.();
          throw e;
        }
      });
    } catch (e) {
      if (ctx.signal.aborted) throw e;
      throw new ModuleError((e as Error).message, { result: { rebooted: true, elapsed: elapsed() } });
    }
    return { changed: true, result: { rebooted: true, elapsed: elapsed() } };
  },
});
