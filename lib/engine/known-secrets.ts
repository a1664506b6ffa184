/**
 * Learns the run's passwords before anything is reported, so the event
 * stream can mask them (lib/output/censor.ts): connection and become
 * passwords from the inventory, rendered when they are templates, and the
 * ones given at a prompt.
 */
import { registerSecret, SECRET_VARIABLES } from '../output/censor.js';
import { isTemplated, renderValue } from '../template/index.js';
import type { Engine } from './task-context.js';

export function learnSecrets(engine: Engine): void {
  registerSecret(engine.options.connection?.password);
  registerSecret(engine.options.connection?.becomePassword);
  for (const host of engine.inventory.hosts.keys()) {
    const raw = engine.vars.inventoryHostVars(host);
    for (const name of SECRET_VARIABLES) {
      const v = raw[name];
      if (typeof v !== 'string') continue;
      if (!isTemplated(v)) {
        registerSecret(v);
        continue;
      }
      try {
        registerSecret(renderValue(v, engine.vars.forHost(host)));
      } catch {
        // A password that cannot be rendered yet fails where it is used; there is nothing to mask.
      }
    }
  }
}
