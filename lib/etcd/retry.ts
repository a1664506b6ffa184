/**
 * etcd refuses a membership change with `etcdserver: unhealthy cluster` for
 * about 5 s after a member (re)started, every time: it has not yet seen every
 * peer connected for its health interval. That is transient, so the change
 * is retried with a bounded backoff; any other error is returned at once.
 */
import type { ExecResult } from '../module/kit.js';

export const TRANSIENT = /etcdserver: unhealthy cluster/;

/** Seconds to wait before each retry: about 30 s in all, well past etcd's 5 s window. */
export const DEFAULT_BACKOFF_S = [1, 2, 3, 4, 5, 5, 5, 5];

export interface RetryOptions {
  backoffS?: number[];
  /** What counts as transient (default TRANSIENT). */
  transient?: RegExp;
  sleep?: (ms: number) => Promise<void>;
  /** Called before each retry, for the task's -v output. */
  onRetry?: (attempt: number, waitS: number, error: string) => void;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function retryUnhealthy(run: () => Promise<ExecResult>, opts: RetryOptions = {}): Promise<ExecResult & { attempts: number }> {
  const backoff = opts.backoffS ?? DEFAULT_BACKOFF_S;
  const sleep = opts.sleep ?? realSleep;
  const pattern = opts.transient ?? TRANSIENT;
  for (let attempt = 1; ; attempt++) {
    const r = await run();
    const match = r.rc !== 0 ? pattern.exec(r.stderr + r.stdout) : null;
    if (!match || attempt > backoff.length) return { ...r, attempts: attempt };
    const wait = backoff[attempt - 1];
    opts.onRetry?.(attempt, wait, match[0]);
    await sleep(wait * 1000);
  }
}
