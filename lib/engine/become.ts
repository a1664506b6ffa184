/**
 * Resolves become for a task. Ansible's order, highest first: variables
 * (ansible_become, ansible_become_user, ansible_become_method from the
 * inventory, vars or -e), then keywords (task, enclosing blocks, play), then
 * the command line (-b, --become-user, --become-method).
 */
import { becomeFromVars } from '../connection/factory.js';
import { ansibleBool } from '../util/ansible-bool.js';
import type { BecomeOptions } from '../connection/types.js';
import { evaluateCondition } from '../template/index.js';
import type { Vars } from './vars.js';

export interface BecomeLayer {
  become?: unknown;
  becomeUser?: string;
  becomeMethod?: string;
}

export function resolveBecome(layers: BecomeLayer[], vars: Vars, cli: { become?: boolean; becomeUser?: string; becomeMethod?: string; becomePassword?: string }): BecomeOptions | undefined {
  const keyword = <K extends keyof BecomeLayer>(k: K): BecomeLayer[K] | undefined => {
    for (let i = layers.length - 1; i >= 0; i--) if (layers[i][k] !== undefined) return layers[i][k];
    return undefined;
  };
  const flag = vars.ansible_become ?? keyword('become') ?? cli.become;
  return becomeFromVars(
    {
      ...vars,
      ansible_become: flag !== undefined && truthy(flag, vars),
      ansible_become_user: vars.ansible_become_user ?? keyword('becomeUser') ?? cli.becomeUser,
      ansible_become_method: vars.ansible_become_method ?? keyword('becomeMethod') ?? cli.becomeMethod,
    },
    { becomePassword: cli.becomePassword },
  );
}

/** A keyword that may be a boolean, "yes"/"no", or a template. */
export function truthy(v: unknown, vars: Vars): boolean {
  const literal = ansibleBool(v);
  if (literal !== undefined) return literal;
  return typeof v === 'string' ? evaluateCondition(v, vars) : !!v;
}
