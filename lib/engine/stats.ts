/** Per-host counters for the recap, and the exit code they imply. */
import { ExitCode } from '../errors.js';
import { emptyStats, type HostStats } from '../output/events.js';

export class RunStats {
  private readonly byHost = new Map<string, HostStats>();
  /** Failures counted in the recap that a rescue then handled: Ansible 2.14 shows them but they do not make the exit code 2. */
  private readonly forgiven = new Map<string, number>();

  get(host: string): HostStats {
    let s = this.byHost.get(host);
    if (!s) {
      s = emptyStats();
      this.byHost.set(host, s);
    }
    return s;
  }

  bump(host: string, key: keyof HostStats): void {
    this.get(host)[key]++;
  }

  /** A counted failure of `host` was rescued. */
  forgive(host: string): void {
    this.forgiven.set(host, (this.forgiven.get(host) ?? 0) + 1);
  }

  /** meta: clear_host_errors brought `host` back: its failures so far stay in the recap but no longer fail the run. */
  forgiveAll(host: string): void {
    this.forgiven.set(host, this.get(host).failed);
  }

  snapshot(): Record<string, HostStats> {
    // Ansible sorts the recap by host name.
    return Object.fromEntries([...this.byHost.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([h, s]) => [h, { ...s }]));
  }

  /** ansible-playbook's rule: any unreachable host → 4, else any failed host → 2, else 0. */
  exitCode(): number {
    const all = [...this.byHost.entries()];
    if (all.some(([, s]) => s.unreachable > 0)) return ExitCode.unreachable;
    if (all.some(([h, s]) => s.failed > (this.forgiven.get(h) ?? 0))) return ExitCode.hostFailed;
    return ExitCode.ok;
  }
}
