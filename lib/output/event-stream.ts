/** Where a run's events go: censored once, then handed to every reporter. */
import { censorEvent } from './censor.js';
import { digest, type Reporter, type RunEvent } from './events.js';

export class EventStream {
  private readonly reporters: Reporter[] = [];
  private silenced = false;

  subscribe(r: Reporter): void {
    this.reporters.push(r);
  }

  emit(event: RunEvent): void {
    if (this.silenced && event.type !== 'run_end') return;
    // Checksums come from the real content, before secrets in it are masked.
    if (event.type === 'host_result' && event.diff?.length && !event.files) event = { ...event, files: event.diff.map(digest) };
    // no_log and known secrets are applied here, once, so no reporter can show what they hide.
    event = censorEvent(event);
    for (const r of this.reporters) r(event);
  }

  /**
   * After Ctrl-C the commands still in flight are killed; their results say
   * nothing about the hosts and would read as failures, so nothing more is
   * reported but the end of the run.
   */
  silence(): void {
    this.silenced = true;
  }
}
