/**
 * The one place a host's result for a task becomes a `host_result` event:
 * a task's result, a loop item, a loop's summary, an include's skip or
 * failure, a meta task's skip. Counting stays with the callers, since each
 * counts differently (rescuable or not, per include, not at all for items).
 */
import type { EventStream } from '../output/event-stream.js';
import type { RunEvent } from '../output/events.js';

export type HostResult = Omit<Extract<RunEvent, { type: 'host_result' }>, 'type'>;

export function emitHostResult(events: EventStream, result: HostResult): void {
  events.emit({ type: 'host_result', ...result });
}
