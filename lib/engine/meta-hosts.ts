/**
 * Which hosts a meta task's `when` lets through. Ansible 2.14's linear
 * strategy runs most meta actions once, for the first host still in the
 * play, and applies the result to every host: `meta: end_play` with
 * `when: inventory_hostname == 'h3'` never ends anything unless h3 comes
 * first. tsplay does the same, and says so when the condition would have
 * decided otherwise for another host, since that is rarely what was meant.
 */

/** Meta actions Ansible evaluates for each host; every other one runs once. */
const PER_HOST = new Set(['noop', 'reset_connection', 'end_host', 'flush_handlers', 'role_complete']);

export interface MetaDecision {
  /** Hosts the action applies to (every host, or none, for a run-once action). */
  applies: string[];
  /** Hosts that print a skip line. */
  skipped: string[];
  warning?: string;
}

/**
 * @param holds evaluates the task's conditions for one host (an error counts as false
 *   for the hosts consulted only to warn).
 */
export function metaHosts(action: string, hosts: string[], holds: (host: string) => boolean): MetaDecision {
  if (PER_HOST.has(action) || hosts.length === 0) {
    const applies = hosts.filter(holds);
    return { applies, skipped: hosts.filter((h) => !applies.includes(h)) };
  }
  const [first, ...others] = hosts;
  const decided = holds(first);
  const disagree = others.filter((h) => {
    try {
      return holds(h) !== decided;
    } catch {
      return false;
    }
  });
  const warning = disagree.length
    ? `meta: ${action} runs once for all hosts, and its 'when' was evaluated only for the first host, ${first} (${decided}), as in Ansible 2.14; ` +
      `it would have been ${!decided} for ${disagree.join(', ')}. ${decided ? `So ${action} applies to every host.` : `So nothing happens for any host.`} ` +
      `To act on some hosts only, use 'meta: end_host' or a condition that does not depend on the host.`
    : undefined;
  return decided ? { applies: hosts, skipped: [], warning } : { applies: [], skipped: [first], warning };
}
