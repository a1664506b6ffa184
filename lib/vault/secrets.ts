/**
 * The vault passwords of this run (--vault-password-file, --ask-vault-pass,
 * --vault-id) and decryption with them, with Ansible's messages when there
 * is no password or none fits. Every decrypted value is a secret: output
 * masks it (lib/output/censor.ts).
 */
import { registerSecret } from '../util/secrets.js';
import { decryptWith, parseVault, VaultFormatError } from './format.js';

export interface VaultSecret {
  /** The vault id label (`--vault-id label@source`); `default` otherwise. */
  label: string;
  password: string;
}

let secrets: VaultSecret[] = [];

export function setVaultSecrets(list: VaultSecret[]): void {
  secrets = [...list];
}

export function hasVaultSecrets(): boolean {
  return secrets.length > 0;
}

export const NO_SECRETS = 'Attempting to decrypt but no vault secrets found';
export const NO_MATCH = 'Decryption failed (no vault secrets were found that could decrypt)';

/** Why a vault value could not be opened, with Ansible's own message. */
export class VaultDecryptError extends Error {}

/** Decrypts vault text; a 1.2 vault tries the secret with its id first, as Ansible does. */
export function decryptVault(text: string): string {
  if (secrets.length === 0) throw new VaultDecryptError(NO_SECRETS);
  let env;
  try {
    env = parseVault(text);
  } catch (e) {
    if (e instanceof VaultFormatError) throw new VaultDecryptError(`${e.message}`);
    throw e;
  }
  const ordered = env.vaultId ? [...secrets.filter((s) => s.label === env.vaultId), ...secrets.filter((s) => s.label !== env.vaultId)] : secrets;
  for (const s of ordered) {
    const plain = decryptWith(env, s.password);
    if (plain !== undefined) {
      const text = plain.toString('utf8');
      registerSecret(text);
      return text;
    }
  }
  throw new VaultDecryptError(NO_MATCH);
}
