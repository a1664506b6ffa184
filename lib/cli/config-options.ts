/**
 * Turns ansible.cfg / ANSIBLE_* settings into the `tsplay run` options the
 * command line left out: a flag given wins, a setting fills the gap, and
 * tsplay's own default stays where neither says anything.
 */
import { isSet, setting, type LoadedConfig } from '../config/load.js';
import type { Io } from './io.js';
import { TsplayError } from '../errors.js';

type Values = Record<string, unknown>;

export function applyConfig(cli: Values, config: LoadedConfig): Values {
  const v: Values = { ...cli };
  const given = (name: string) => isSet(config, name);
  const fill = (option: string, name: string, as: (x: unknown) => unknown = (x) => x) => {
    if (v[option] === undefined && given(name)) v[option] = as(setting(config, name));
  };
  // An inventory given with -i replaces the configured one, as in Ansible.
  fill('inventory', 'DEFAULT_HOST_LIST');
  fill('forks', 'DEFAULT_FORKS', String);
  fill('timeout', 'DEFAULT_TIMEOUT', String);
  fill('user', 'DEFAULT_REMOTE_USER');
  fill('become-user', 'DEFAULT_BECOME_USER');
  fill('become-method', 'DEFAULT_BECOME_METHOD');
  const method = config.values.get('DEFAULT_BECOME_METHOD');
  if (cli['become-method'] === undefined && method && method.origin !== 'default' && !['sudo', 'su'].includes(String(method.value))) {
    throw new TsplayError('option', `become_method '${String(method.value)}' (${method.where ?? method.origin}) is not supported`, { hint: 'tsplay becomes with sudo or su: set become_method to one of them', exitCode: 5 });
  }
  if (!v.become && setting<boolean>(config, 'DEFAULT_BECOME')) v.become = true;
  if (!v['ask-become-pass'] && setting<boolean>(config, 'DEFAULT_BECOME_ASK_PASS')) v['ask-become-pass'] = true;
  if (!v['force-handlers'] && setting<boolean>(config, 'DEFAULT_FORCE_HANDLERS')) v['force-handlers'] = true;
  if (!v['ask-pass'] && setting<boolean>(config, 'DEFAULT_ASK_PASS')) v['ask-pass'] = true;
  // host_key_checking = False is --host-key-checking off; True is tsplay's default, strict.
  if (v['host-key-checking'] === undefined && given('HOST_KEY_CHECKING') && !setting<boolean>(config, 'HOST_KEY_CHECKING')) v['host-key-checking'] = 'off';
  // Ansible reads the configured vault password file besides those given on the command line.
  const vaultFile = setting<string | undefined>(config, 'DEFAULT_VAULT_PASSWORD_FILE');
  if (vaultFile) v['vault-password-file'] = [...((v['vault-password-file'] as string[] | undefined) ?? []), vaultFile];
  const callbacks = setting<string[]>(config, 'CALLBACKS_ENABLED');
  if (callbacks.includes('timer') || callbacks.includes('ansible.posix.timer')) v.timer = true;
  if (callbacks.includes('profile_tasks') || callbacks.includes('ansible.posix.profile_tasks')) v.profileTasks = true;

  const connectionVars: Record<string, string> = {};
  const key = (v['private-key'] ?? v['key-file'] ?? setting(config, 'DEFAULT_PRIVATE_KEY_FILE')) as string | undefined;
  // ansible_private_key_file, the lowest-ranked name: a host's own key variable wins over it.
  if (key) connectionVars.ansible_private_key_file = key;
  const common = (v['ssh-common-args'] as string | undefined) ?? (given('ssh_common_args') ? setting<string>(config, 'ssh_common_args') : undefined);
  if (common) connectionVars.ansible_ssh_common_args = common;
  if (given('ssh_args')) connectionVars.ansible_ssh_args = setting<string>(config, 'ssh_args');
  v.connectionVars = connectionVars;
  return v;
}

/** Ansible's timer callback line. */
export function printTimer(ms: number, io: Io): void {
  let s = Math.floor(ms / 1000);
  const days = Math.floor(s / 86400);
  s %= 86400;
  const hours = Math.floor(s / 3600);
  s %= 3600;
  const minutes = Math.floor(s / 60);
  io.out(`\nPlaybook run took ${days} days, ${hours} hours, ${minutes} minutes, ${s % 60} seconds\n`);
}
