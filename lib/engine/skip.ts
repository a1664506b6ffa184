/**
 * The one skipped result a false `when` gives, for tasks, loop items,
 * includes and meta tasks alike: Ansible's "Conditional result was False",
 * with the condition that was false when there is one.
 */
export function conditionalSkip(falseCondition?: unknown): Record<string, unknown> {
  const result: Record<string, unknown> = { changed: false, skip_reason: 'Conditional result was False' };
  if (falseCondition !== undefined) result.false_condition = falseCondition;
  return result;
}
