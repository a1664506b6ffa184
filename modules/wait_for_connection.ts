import { setTimeout as sleepFor } from 'node:timers/promises';
import { defineModule, ModuleError, type PlanContext } from '../lib/module/kit.js';

interface Args {
  connect_timeout: number | string;
  delay: number | string;
  sleep: number | string;
  timeout: number | string;
  [other: string]: unknown;
}

const OPTIONS = ['connect_timeout', 'delay', 'sleep', 'timeout'];

/** A whole number of seconds, as Ansible's int() makes one: 2.7 is 2, "3" is 3. */
const seconds = (v: number | string) => Math.trunc(Number(v));

/** A count of seconds: a number, or a string of digits (a template's result). */
const secondsSchema = (fallback: number, description: string) => ({
  anyOf: [
    { type: 'number', minimum: 0 },
    { type: 'string', pattern: '^\\s*\\+?\\d+\\s*$' },
  ],
  default: fallback,
  description,
});

/**
 * One try, as Ansible's: drop the connection, open a new one and run a command
 * through it, all within `connectTimeout` seconds. A try that runs out of time
 * leaves no half-open connection behind for the next task.
 */
async function tryOnce(ctx: PlanContext, connectTimeout: number): Promise<void> {
  await ctx.reconnect?.();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within connect_timeout (${connectTimeout} s)`)), connectTimeout * 1000);
  });
  const ping = ctx.host.run(['true'], { timeoutMs: connectTimeout * 1000 });
  ping.catch(() => {}); // it may lose the race below and fail later
  try {
    await Promise.race([ping, limit]);
  } catch (e) {
    if (!ctx.signal.aborted) await ctx.reconnect?.();
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

export default defineModule<Args>({
  name: 'wait_for_connection',
  description:
    "Ansible's wait_for_connection: waits `delay` seconds, then every `sleep` seconds until `timeout` drops the host's connection, opens a new one and runs a command through it (each try bounded by `connect_timeout`), for a host that reboots or whose sshd restarts. The task after it runs on the new connection. Fails with `timed out waiting for ping module test: <why>` when the time is up. Changes nothing; skipped in check mode, as Ansible's is.",
  examples: ['- wait_for_connection:', '- wait_for_connection:\n    delay: 10\n    timeout: 300', '- name: the host is back after its reboot\n  wait_for_connection:\n    connect_timeout: 10\n    sleep: 5\n    timeout: 600'],
  // Check mode: plan() reports a change it would make, which the engine turns into "skipped" (Ansible's result, without a reason).
  checkMode: 'skip',
  schema: {
    type: 'object',
    // Unknown options fail the task with Ansible's own words, and only outside check mode, as Ansible's action does.
    additionalProperties: true,
    properties: {
      connect_timeout: secondsSchema(5, 'Seconds one try (a new connection and a command through it) may take.'),
      delay: secondsSchema(0, 'Seconds to wait before the first try; counted in `elapsed`.'),
      sleep: secondsSchema(1, 'Seconds to wait after a failed try.'),
      timeout: secondsSchema(600, 'Seconds after `delay` during which tries start; then the task fails.'),
    },
  },
  async plan(args, ctx) {
    if (ctx.check) return { changed: true };
    const unknown = Object.keys(args).filter((k) => !OPTIONS.includes(k));
    if (unknown.length) throw new ModuleError(`Invalid options for wait_for_connection: ${unknown.sort().join(', ')}`);
    const [connectTimeout, delay, sleep, timeout] = [args.connect_timeout, args.delay, args.sleep, args.timeout].map(seconds);
    const start = Date.now();
    const elapsed = () => Math.floor((Date.now() - start) / 1000);
    const pause = (s: number) => sleepFor(s * 1000, undefined, { signal: ctx.signal });
    if (delay) await pause(delay);
    const end = Date.now() + timeout * 1000;
    let error: unknown;
    while (Date.now() < end) {
      try {
        await tryOnce(ctx, connectTimeout);
        return { changed: false, result: { elapsed: elapsed() } };
      } catch (e) {
        if (ctx.signal.aborted) throw e;
        error = e;
        ctx.log(`wait_for_connection: ping module test failed (expected), retrying in ${sleep} seconds: ${(e as Error).message}`);
        await pause(sleep);
      }
    }
    const why = error === undefined ? 'no try fitted in the timeout' : ((error as Error).message ?? String(error));
    throw new ModuleError(`timed out waiting for ping module test: ${why}`, { result: { elapsed: elapsed() } });
  },
});
