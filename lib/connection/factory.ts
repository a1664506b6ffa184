/**
 * Picks the transport for a host from its variables, as Ansible does with
 * ansible_connection: `local` for the implicit localhost or when asked,
 * otherwise ssh (also for Ansible's other names of it: paramiko, smart).
 */
import { ansibleBool } from '../util/ansible-bool.js';
import { LocalConnection } from './local.js';
import { SshConnection } from './ssh/connection.js';
import { sshSettingsFromVars } from './ssh/options.js';
import type { BecomeOptions, Connection } from './types.js';
import { TsplayError } from '../errors.js';

export interface ConnectionOptions {
  /** `strict` (default), `accept-new`, or `off`. A host's own -o StrictHostKeyChecking wins. */
  hostKeyChecking?: 'strict' | 'accept-new' | 'off';
  /** Connect timeout in milliseconds (default 10 s); a host's ConnectTimeout wins. */
  connectTimeoutMs?: number;
  /** Password given with --ask-pass, used when the host has none. */
  password?: string;
  /** Password given with --ask-become-pass, used when the host has none. */
  becomePassword?: string;
  /** Extra known_hosts files, only read (like GlobalKnownHostsFile), e.g. an inventory's own file. */
  knownHostsFiles?: string[];
  /** SSH keepalive interval in milliseconds (default 10 s, 3 missed = dropped); 0 disables. */
  keepaliveIntervalMs?: number;
  /** Channels open at once per connection (default 8; OpenSSH allows 10 sessions). */
  maxChannels?: number;
}

export type ConnectionFactory = (host: string, vars: Record<string, unknown>, opts: ConnectionOptions) => Connection;

export const createConnection: ConnectionFactory = (host, vars, opts = {}) => {
  const kind = String(vars.ansible_connection ?? 'ssh');
  if (kind === 'local') return new LocalConnection(host);
  if (kind === 'ssh' || kind === 'paramiko' || kind === 'smart') {
    return new SshConnection(host, sshSettingsFromVars(host, vars, opts));
  }
  throw new TsplayError('validation', `connection type '${kind}' for host '${host}' is not supported`, {
    hint: 'use ansible_connection=local or ssh',
  });
};

/**
 * The become settings of a host (ansible_become, ansible_become_user,
 * ansible_become_method, ansible_become_password / ansible_become_pass),
 * or undefined when the host does not become.
 */
export function becomeFromVars(vars: Record<string, unknown>, opts: ConnectionOptions = {}): BecomeOptions | undefined {
  if (ansibleBool(vars.ansible_become) !== true) return undefined;
  const method = String(vars.ansible_become_method ?? 'sudo');
  if (method !== 'sudo' && method !== 'su') {
    throw new TsplayError('validation', `ansible_become_method '${method}' is not supported`, { hint: 'use sudo or su' });
  }
  const user = vars.ansible_become_user !== undefined && vars.ansible_become_user !== '' ? String(vars.ansible_become_user) : 'root';
  const pw = vars.ansible_become_password ?? vars.ansible_become_pass;
  const password = pw !== undefined && pw !== null ? String(pw) : opts.becomePassword;
  return { user, method, ...(password !== undefined ? { password } : {}) };
}
