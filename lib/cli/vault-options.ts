/**
 * --vault-password-file, --ask-vault-pass and --vault-id, as ansible-playbook
 * takes them. A password file is read and stripped of surrounding
 * whitespace, or run when it is executable (its output is the password);
 * `--vault-id label@source` names the secret, `prompt` as the source asks.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { TsplayError } from '../errors.js';
import { registerSecret } from '../output/censor.js';
import { setVaultSecrets, type VaultSecret } from '../vault/secrets.js';
import { list, type Options } from './args.js';

export const vaultOptions: Options = {
  'vault-password-file': { type: 'string', multiple: true },
  'vault-pass-file': { type: 'string', multiple: true },
  'ask-vault-pass': { type: 'boolean', short: 'J' },
  'ask-vault-password': { type: 'boolean' },
  'vault-id': { type: 'string', multiple: true },
};

export const VAULT_USAGE = `      --vault-password-file F  Vault password file (executable: its output) (repeatable)
  -J, --ask-vault-pass      Ask for the vault password
      --vault-id [LABEL@]SRC  A vault password: a file or 'prompt' (repeatable)`;

function readPasswordFile(file: string): string {
  const path = resolve(file);
  let executable = false;
  try {
    if (!statSync(path).isFile()) throw new Error('not a file');
    try {
      accessSync(path, constants.X_OK);
      executable = true;
    } catch {
      executable = false;
    }
  } catch {
    throw new TsplayError('missing-file', `The vault password file ${path} was not found`, { hint: 'check the path given to --vault-password-file or --vault-id' });
  }
  if (executable) {
    try {
      return execFileSync(path, [], { encoding: 'utf8', stdio: ['inherit', 'pipe', 'inherit'] }).trim();
    } catch (e) {
      throw new TsplayError('runtime', `Vault password script ${path} returned non-zero (${(e as { status?: number }).status ?? 'killed'})`, { hint: 'run the script by hand to see why it fails' });
    }
  }
  return readFileSync(path, 'utf8').trim();
}

/** Reads every vault password the options name and makes them the run's. */
export async function applyVaultOptions(values: Record<string, unknown>): Promise<void> {
  const secrets: VaultSecret[] = [];
  const ask = async (label: string) => {
    const { promptHidden } = await import('../connection/prompt.js');
    return promptHidden(label === 'default' ? 'Vault password: ' : `Vault password (${label}): `);
  };
  for (const spec of list(values['vault-id'])) {
    const at = spec.indexOf('@');
    const label = at > 0 ? spec.slice(0, at) : 'default';
    const source = at > 0 ? spec.slice(at + 1) : spec;
    secrets.push({ label, password: source === 'prompt' ? await ask(label) : readPasswordFile(source) });
  }
  for (const file of [...list(values['vault-password-file']), ...list(values['vault-pass-file'])]) secrets.push({ label: 'default', password: readPasswordFile(file) });
  if (values['ask-vault-pass'] || values['ask-vault-password']) secrets.push({ label: 'default', password: await ask('default') });
  for (const s of secrets) registerSecret(s.password);
  setVaultSecrets(secrets);
}
