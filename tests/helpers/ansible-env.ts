/**
 * The one environment every test runs the real Ansible tools in. It makes
 * the comparison depend on ansible-core alone, as .ci/run installs it on a
 * fresh machine: no ansible.cfg, no collections from the user's or the
 * system's paths (Debian's `ansible` package puts them on sys.path), no
 * ANSIBLE_* setting from the developer's shell, and a private HOME and temp
 * dir so no stray state changes what Ansible does.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The project's own callback plugins (ansible-core ships no JSON stdout callback). */
export const ansiblePluginDir = path.join(here, 'ansible-plugins', 'callback');

export function hermeticAnsibleEnv(prefix = 'tsplay-ansible-'): { env: NodeJS.ProcessEnv; home: string } {
  const home = mkdtempSync(path.join(os.tmpdir(), prefix));
  const noCollections = path.join(home, 'no-collections');
  mkdirSync(path.join(noCollections, 'ansible_collections'), { recursive: true });
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ANSIBLE_')));
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    HOME: home,
    ANSIBLE_CONFIG: path.join(home, 'no-ansible.cfg'),
    ANSIBLE_COLLECTIONS_PATH: noCollections,
    ANSIBLE_COLLECTIONS_SCAN_SYS_PATH: 'False',
    ANSIBLE_CALLBACK_PLUGINS: ansiblePluginDir,
    ANSIBLE_LOCAL_TEMP: path.join(home, 'tmp'),
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_FORCE_COLOR: '0',
    ANSIBLE_LOCALHOST_WARNING: 'False',
    ANSIBLE_DEPRECATION_WARNINGS: 'False',
    ANSIBLE_RETRY_FILES_ENABLED: 'False',
  };
  return { env, home };
}
