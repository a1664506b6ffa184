/**
 * Long synchronous loops over input (the hosts of a 100k-host inventory)
 * let the event loop run now and then, so that a signal handler (Ctrl-C,
 * SIGTERM) is heard while they work: Node runs a handler only between turns
 * of the event loop, and awaiting promises that are already resolved is not
 * such a turn.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

/** How long work may go on before the event loop gets a turn. */
const SLICE_MS = 50;

export class Breather {
  private last = performance.now();
  private calls = 0;

  /** True when the loop has worked for a slice; cheap enough to ask on every iteration. */
  due(): boolean {
    if ((++this.calls & 255) !== 0) return false;
    return performance.now() - this.last >= SLICE_MS;
  }

  /** Gives the event loop a turn (signal handlers, timers, I/O). */
  async pause(): Promise<void> {
    await nextTurn();
    this.last = performance.now();
  }
}
