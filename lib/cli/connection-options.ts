/**
 * The options `tsplay run` and `tsplay adhoc` share for reaching and becoming
 * on hosts, as ansible-playbook and ansible share them: one table, one check
 * of their values, one set of run options, one place that asks for passwords.
 */
import { TsplayError } from '../errors.js';
import type { RunOptions } from '../engine/options.js';
import { setting, type LoadedConfig } from '../config/load.js';
import { intOption, type Options } from './args.js';

export const connectionOptions: Options = {
  forks: { type: 'string', short: 'f' },
  become: { type: 'boolean', short: 'b' },
  'become-user': { type: 'string' },
  'become-method': { type: 'string' },
  'ask-become-pass': { type: 'boolean', short: 'K' },
  'ask-pass': { type: 'boolean', short: 'k' },
  user: { type: 'string', short: 'u' },
  'private-key': { type: 'string' },
  'key-file': { type: 'string' },
  connection: { type: 'string', short: 'c' },
  timeout: { type: 'string', short: 'T' },
};

type Values = Record<string, unknown>;

/** The run options these give (after applyConfig has filled them from ansible.cfg). */
export function connectionRunOptions(values: Values, config: LoadedConfig) {
  const becomeMethod = values['become-method'] as string | undefined;
  if (becomeMethod && !['sudo', 'su'].includes(becomeMethod)) throw new TsplayError('option', `--become-method must be sudo or su, got '${becomeMethod}'`);
  const timeout = intOption(values.timeout, '--timeout');
  return {
    forks: intOption(values.forks, '--forks'),
    become: values.become ? true : undefined,
    becomeUser: values['become-user'] as string | undefined,
    becomeMethod: becomeMethod as RunOptions['becomeMethod'],
    remoteUser: values.user as string | undefined,
    connectionType: values.connection as string | undefined,
    connectionVars: values.connectionVars as Record<string, string>,
    rolesPath: setting<string[]>(config, 'DEFAULT_ROLES_PATH'),
    connectTimeoutMs: timeout ? timeout * 1000 : undefined,
  };
}

/** -k and -K: asked once, before any host is contacted. */
export async function askPasswords(values: Values, connection: NonNullable<RunOptions['connection']>): Promise<void> {
  if (!values['ask-pass'] && !values['ask-become-pass']) return;
  const { promptHidden } = await import('../connection/prompt.js');
  if (values['ask-pass']) connection.password = await promptHidden('SSH password: ');
  if (values['ask-become-pass']) connection.becomePassword = await promptHidden('BECOME password: ');
}
