/**
 * Resolves become for a task. Ansible's order, highest first: variables
 * (ansible_become, ansible_become_user, ansible_become_method from the
 * inventory, vars or -e), then keywords (task, enclosing blocks, play), then
 * the command line (-b, --become-user, --become-method).
 *
 * Every value may be a template (`become_user: "{{ app_user }}"`,
 * `ansible_become_user: "{{ x }}"`), rendered here as Ansible does. What it
 * renders to is checked before sudo or su sees it: a become user often comes
 * from host data, and one starting with `-` would be read as an option.
 */
import { becomeFromVars } from '../connection/factory.js';
import { becomeUserProblem } from '../connection/become.js';
import { TsplayError } from '../errors.js';
import type { BecomeOptions } from '../connection/types.js';
import { renderValue } from '../template/index.js';
import { keywordIsTrue } from './keyword.js';
import { OMIT, type Vars } from './vars.js';

export interface BecomeLayer {
  become?: unknown;
  becomeUser?: string;
  becomeMethod?: string;
}

/**
 * `vars` are the variables of the host the task runs on (the delegate's, when
 * delegated); keywords are rendered with `keywordVars`, the task's own.
 */
export function resolveBecome(
  layers: BecomeLayer[],
  vars: Vars,
  cli: { become?: boolean; becomeUser?: string; becomeMethod?: string; becomePassword?: string },
  keywordVars: Vars = vars,
): BecomeOptions | undefined {
  const keyword = <K extends keyof BecomeLayer>(k: K): BecomeLayer[K] | undefined => {
    for (let i = layers.length - 1; i >= 0; i--) if (layers[i][k] !== undefined) return layers[i][k];
    return undefined;
  };
  const setting = (name: string, k: 'becomeUser' | 'becomeMethod', fromCli?: string): unknown => {
    if (vars[name] !== undefined) return rendered(vars[name], vars);
    const kw = keyword(k);
    return kw !== undefined ? rendered(kw, keywordVars) : fromCli;
  };
  const flagVar = vars.ansible_become;
  const flag = flagVar !== undefined ? keywordIsTrue(flagVar, vars) : keyword('become') !== undefined ? keywordIsTrue(keyword('become'), keywordVars) : cli.become;
  const password = vars.ansible_become_password ?? vars.ansible_become_pass;
  const become = becomeFromVars(
    {
      ...vars,
      ansible_become: flag === true,
      ansible_become_user: setting('ansible_become_user', 'becomeUser', cli.becomeUser),
      ansible_become_method: setting('ansible_become_method', 'becomeMethod', cli.becomeMethod),
      ansible_become_password: password !== undefined ? rendered(password, vars) : undefined,
      ansible_become_pass: undefined,
    },
    { becomePassword: cli.becomePassword },
  );
  if (become) {
    const problem = becomeUserProblem(become.user ?? 'root', become.method ?? 'sudo');
    if (problem) throw new TsplayError('validation', problem, { hint: 'check become_user / ansible_become_user and where its value comes from' });
  }
  return become;
}

/** Renders a become setting; a template that renders to nothing leaves it unset. */
function rendered(v: unknown, vars: Vars): unknown {
  if (typeof v !== 'string') return v;
  const r = renderValue(v, vars);
  return r === null || r === '' || r === OMIT ? undefined : r;
}

