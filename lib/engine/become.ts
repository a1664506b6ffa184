/** Resolves become for a task from, most specific first: task, enclosing blocks, play, -b, inventory variables. */
import type { BecomeOptions } from '../connection/types.js';
import { evaluateCondition } from '../template/index.js';
import type { Vars } from './vars.js';

export interface BecomeLayer {
  become?: unknown;
  becomeUser?: string;
  becomeMethod?: string;
}

export function resolveBecome(layers: BecomeLayer[], vars: Vars, cli: { become?: boolean; becomeUser?: string; becomeMethod?: string; becomePassword?: string }): BecomeOptions | undefined {
  const pick = <K extends keyof BecomeLayer>(k: K): BecomeLayer[K] | undefined => {
    for (let i = layers.length - 1; i >= 0; i--) if (layers[i][k] !== undefined) return layers[i][k];
    return undefined;
  };
  const flag = pick('become') ?? (cli.become ? true : undefined) ?? vars.ansible_become;
  if (flag === undefined || !truthy(flag, vars)) return undefined;
  const user = String(pick('becomeUser') ?? cli.becomeUser ?? vars.ansible_become_user ?? 'root');
  const method = String(pick('becomeMethod') ?? cli.becomeMethod ?? vars.ansible_become_method ?? 'sudo') as BecomeOptions['method'];
  const password = vars.ansible_become_password ?? vars.ansible_become_pass ?? cli.becomePassword;
  return { user, method, ...(password !== undefined ? { password: String(password) } : {}) };
}

/** A keyword that may be a boolean, "yes"/"no", or a template. */
export function truthy(v: unknown, vars: Vars): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (['yes', 'true', 'on', 'y', '1'].includes(s)) return true;
    if (['no', 'false', 'off', 'n', '0', ''].includes(s)) return false;
    return evaluateCondition(v, vars);
  }
  return !!v;
}
