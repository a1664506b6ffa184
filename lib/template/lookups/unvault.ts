/**
 * `unvault`: a controller file's text, decrypted with the run's vault
 * passwords when ansible-vault encrypted it (a plain file is read as it is),
 * not stripped, as Ansible's. Its text is a secret: masked in all output.
 */
import { registerSecret } from '../../util/secrets.js';
import { isVaultText } from '../../vault/format.js';
import { decryptVault, hasVaultSecrets, VaultDecryptError } from '../../vault/secrets.js';
import { findControllerFile, readControllerText } from './find-file.js';
import { lookupFailure, onlyOptions, type LookupPlugin } from './types.js';

const VAULT_HINT = 'give the vault password with --vault-password-file FILE, --ask-vault-pass or --vault-id';

export const unvault: LookupPlugin = (terms, kw, env) => {
  onlyOptions('unvault', kw, []);
  return terms.map((term) => {
    const path = findControllerFile(String(term), 'files', env);
    if (!path) throw lookupFailure(`Unable to find file matching "${String(term)}" `, `relative names are looked for in files/ beside the playbook, then beside it: ${env.searchPath.join(', ')}`);
    const text = readControllerText(path, 'unvault');
    if (!isVaultText(text)) return text;
    // Ansible's words when the run has no vault password at all.
    if (!hasVaultSecrets()) throw lookupFailure(`A vault password or secret must be specified to decrypt ${path}`, VAULT_HINT);
    let plain: string;
    try {
      plain = decryptVault(text);
    } catch (e) {
      if (e instanceof VaultDecryptError) throw lookupFailure(e.message.startsWith('Decryption failed') ? `${e.message} on ${path}` : e.message, VAULT_HINT);
      throw e;
    }
    registerSecret(plain);
    if (plain.trim() !== plain) registerSecret(plain.trim());
    return plain;
  });
};
