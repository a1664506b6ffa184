/**
 * A task or play keyword's value after templating. A keyword that renders to
 * `omit` is not set, as Ansible's post-validation resets it to its default:
 * `delegate_to: "{{ target | default(omit) }}"` runs on the host itself.
 */
import { evaluateCondition, renderValue } from '../template/index.js';
import { ansibleBool } from '../util/ansible-bool.js';
import { OMIT, type Vars } from './vars.js';

export function keywordValue(raw: unknown, vars: Vars): unknown {
  if (raw === undefined) return undefined;
  const v = renderValue(raw, vars);
  return v === OMIT ? undefined : v;
}

/** Whether a keyword's template renders to `omit`; cheap for the keywords that do not mention it. */
export function isOmitted(raw: unknown, vars: Vars): boolean {
  return typeof raw === 'string' && raw.includes('omit') && renderValue(raw, vars) === OMIT;
}

/** The variables play keywords (hosts, name, serial, gather_facts) are rendered with: play vars, extra vars and `omit`. */
export function playKeywordVars(playVars: Vars, extra: Vars): Vars {
  return { omit: OMIT, ...playVars, ...extra };
}

/**
 * A keyword that may be a boolean, "yes"/"no", or a template. One that
 * renders to `omit` takes `whenOmitted`, the keyword's default.
 */
export function keywordIsTrue(v: unknown, vars: Vars, whenOmitted = false): boolean {
  const literal = ansibleBool(v);
  if (literal !== undefined) return literal;
  if (typeof v !== 'string') return !!v;
  if (isOmitted(v, vars)) return whenOmitted;
  return evaluateCondition(v, vars);
}
