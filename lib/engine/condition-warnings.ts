/**
 * Ansible's warning for `when: "{{ x }} == 1"`: a condition is already an
 * expression, and `{{ }}` inside it renders a value into the expression's
 * text first, which breaks on strings and is a path for injecting code. The
 * condition still works, as in Ansible. Ansible repeats the warning for
 * every host; tsplay prints it once per task, after its banner.
 */
import type { Engine } from './task-context.js';

const TEMPLATE = /\{\{|\{%|\{#/;
export function warnTemplatedConditions(engine: Engine, conditions: unknown[] | undefined): void {
  for (const c of conditions ?? []) {
    if (typeof c !== 'string' || !TEMPLATE.test(c)) continue;
    engine.events.emit({ type: 'warning', message: `conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}. Found: ${c}` });
  }
}
