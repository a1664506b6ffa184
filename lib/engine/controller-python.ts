// `ansible_playbook_python`: in Ansible the Python running ansible-playbook,
// which playbooks use to run a script on the controller (script's
// `executable`, `delegate_to: localhost`). tsplay runs on Node, so it is the
// controller's first `python3` on PATH; without one the variable is undefined.

import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export function controllerPython(path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'python3');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here: the next PATH entry
    }
  }
  return undefined;
}
