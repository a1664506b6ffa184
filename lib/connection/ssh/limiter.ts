/**
 * Bounds the channels open at once on one connection. OpenSSH allows 10
 * sessions per connection (MaxSessions) and refuses the 11th: callers beyond
 * the limit wait for a free slot instead of failing.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<{ go: () => void; fail: (e: Error) => void }> = [];

  constructor(private limit: number) {
    if (!(limit >= 1)) throw new Error(`channel limit must be at least 1, got ${limit}`);
  }

  get inUse(): number {
    return this.active;
  }

  acquire(): Promise<() => void> {
    return new Promise((resolve, reject) => {
      const go = () => {
        this.active++;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.active--;
          this.pump();
        });
      };
      if (this.active < this.limit) go();
      else this.waiting.push({ go, fail: reject });
    });
  }

  /** The server allows fewer channels than we thought: use what it allows. */
  lower(limit: number): void {
    this.limit = Math.max(1, Math.min(this.limit, limit));
  }

  /** Rejects everyone still waiting (the connection is gone). */
  failAll(err: Error): void {
    for (const w of this.waiting.splice(0)) w.fail(err);
  }

  private pump(): void {
    while (this.active < this.limit && this.waiting.length) this.waiting.shift()!.go();
  }
}
