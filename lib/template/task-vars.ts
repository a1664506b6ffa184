/**
 * Variables Ansible gives every task's templates that tsplay's variable
 * layers do not hold. Ansible's PlayContext.update_vars sets `ansible_host`
 * to the host's address, the inventory name when the inventory gives none,
 * so `{{ ansible_host }}` and `lookup('vars', 'ansible_host')` always
 * answer in a task. Only templates see the fallback: `hostvars[h].ansible_host`
 * stays undefined (as in Ansible), and modules that read `ansible_host` to
 * learn whether the operator set one (the etcd modules) still see it unset.
 */
import { getProp, type Vars } from './values.js';

export function taskVarFallback(name: string, vars: Vars): unknown {
  if (name === 'ansible_host') {
    const host = getProp(vars, 'inventory_hostname');
    return typeof host === 'string' ? host : undefined;
  }
  return undefined;
}
