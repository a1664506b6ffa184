/**
 * The Ansible settings tsplay reads: the names, ini keys, environment
 * variables, types and defaults of ansible-core 2.14 (its config/base.yml and
 * the ssh connection plugin's options), and what tsplay does with each.
 */
export type SettingType = 'str' | 'int' | 'bool' | 'path' | 'pathlist' | 'pathspec' | 'list';

export interface SettingDef {
  /** Ansible's name, as `ansible-config dump` prints it. */
  name: string;
  ini: { section: string; key: string }[];
  env: string[];
  type: SettingType;
  /** The default, already of the setting's type: Ansible's, or tsplay's where tsplay's differs (docs/configuration.md). */
  default: unknown;
  /** Read and not acted on: the warning a set value gets (undefined: tsplay acts on it). */
  unsupported?: (value: unknown) => string | undefined;
}

const d = (section: string, key: string) => ({ section, key });

export const SETTINGS: SettingDef[] = [
  { name: 'DEFAULT_HOST_LIST', ini: [d('defaults', 'inventory'), d('defaults', 'hostfile')], env: ['ANSIBLE_INVENTORY'], type: 'pathlist', default: [] },
  { name: 'DEFAULT_REMOTE_USER', ini: [d('defaults', 'remote_user')], env: ['ANSIBLE_REMOTE_USER'], type: 'str', default: undefined },
  { name: 'DEFAULT_PRIVATE_KEY_FILE', ini: [d('defaults', 'private_key_file')], env: ['ANSIBLE_PRIVATE_KEY_FILE'], type: 'path', default: undefined },
  { name: 'DEFAULT_FORKS', ini: [d('defaults', 'forks')], env: ['ANSIBLE_FORKS'], type: 'int', default: 20 },
  { name: 'HOST_KEY_CHECKING', ini: [d('defaults', 'host_key_checking')], env: ['ANSIBLE_HOST_KEY_CHECKING'], type: 'bool', default: true },
  { name: 'DEFAULT_TIMEOUT', ini: [d('defaults', 'timeout')], env: ['ANSIBLE_TIMEOUT'], type: 'int', default: 10 },
  { name: 'DEFAULT_ASK_PASS', ini: [d('defaults', 'ask_pass')], env: ['ANSIBLE_ASK_PASS'], type: 'bool', default: false },
  { name: 'DEFAULT_BECOME', ini: [d('privilege_escalation', 'become')], env: ['ANSIBLE_BECOME'], type: 'bool', default: false },
  { name: 'DEFAULT_BECOME_USER', ini: [d('privilege_escalation', 'become_user')], env: ['ANSIBLE_BECOME_USER'], type: 'str', default: 'root' },
  { name: 'DEFAULT_BECOME_METHOD', ini: [d('privilege_escalation', 'become_method')], env: ['ANSIBLE_BECOME_METHOD'], type: 'str', default: 'sudo' },
  { name: 'DEFAULT_BECOME_ASK_PASS', ini: [d('privilege_escalation', 'become_ask_pass')], env: ['ANSIBLE_BECOME_ASK_PASS'], type: 'bool', default: false },
  { name: 'DEFAULT_FORCE_HANDLERS', ini: [d('defaults', 'force_handlers')], env: ['ANSIBLE_FORCE_HANDLERS'], type: 'bool', default: false },
  { name: 'DEFAULT_VAULT_PASSWORD_FILE', ini: [d('defaults', 'vault_password_file')], env: ['ANSIBLE_VAULT_PASSWORD_FILE'], type: 'path', default: undefined },
  {
    name: 'DEFAULT_ROLES_PATH',
    ini: [d('defaults', 'roles_path')],
    env: ['ANSIBLE_ROLES_PATH'],
    type: 'pathspec',
    default: ['~/.ansible/roles', '/usr/share/ansible/roles', '/etc/ansible/roles'],
  },
  {
    name: 'RETRY_FILES_ENABLED',
    ini: [d('defaults', 'retry_files_enabled')],
    env: ['ANSIBLE_RETRY_FILES_ENABLED'],
    type: 'bool',
    default: false,
    unsupported: (v) => (v ? 'tsplay writes no .retry files; use --limit with the failed hosts of the recap (or the --json record)' : undefined),
  },
  {
    name: 'DEFAULT_STDOUT_CALLBACK',
    ini: [d('defaults', 'stdout_callback')],
    env: ['ANSIBLE_STDOUT_CALLBACK'],
    type: 'str',
    default: 'default',
    unsupported: (v) =>
      v === 'default' || v === 'json'
        ? undefined
        : v === 'yaml'
          ? "tsplay has no yaml output: results are shown as with 'default'"
          : `tsplay has no '${String(v)}' output: it prints as with 'default' (or 'json')`,
  },
  {
    name: 'CALLBACKS_ENABLED',
    ini: [d('defaults', 'callbacks_enabled'), d('defaults', 'callback_whitelist')],
    env: ['ANSIBLE_CALLBACKS_ENABLED', 'ANSIBLE_CALLBACK_WHITELIST'],
    type: 'list',
    default: [],
    unsupported: (v) => {
      const known = ['timer', 'profile_tasks', 'ansible.posix.timer', 'ansible.posix.profile_tasks', ''];
      const other = (v as string[]).filter((c) => !known.includes(c));
      return other.length ? `tsplay has no callback plugins; ${other.join(', ')} ignored (only timer and profile_tasks are understood)` : undefined;
    },
  },
  // The ssh connection plugin's options (ansible-config dump -t connection shows them).
  { name: 'ssh_args', ini: [d('ssh_connection', 'ssh_args')], env: ['ANSIBLE_SSH_ARGS'], type: 'str', default: '' },
  { name: 'ssh_common_args', ini: [d('ssh_connection', 'ssh_common_args')], env: ['ANSIBLE_SSH_COMMON_ARGS'], type: 'str', default: '' },
];

export function settingByName(name: string): SettingDef | undefined {
  return SETTINGS.find((s) => s.name === name);
}
