/**
 * Ansible Vault's AES256 format, versions 1.1 and 1.2, as ansible-vault
 * writes it: a `$ANSIBLE_VAULT;1.1;AES256` (or `1.2;AES256;<vault id>`)
 * header, then the hex of "hex(salt)\nhex(hmac)\nhex(ciphertext)". Keys
 * come from PBKDF2-HMAC-SHA256 (10000 rounds, 80 bytes: AES key, HMAC key,
 * counter); the HMAC-SHA256 of the ciphertext is checked before AES-256-CTR
 * decrypts it, and PKCS#7 padding is removed. Node's crypto does the work.
 */
import { createDecipheriv, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';

export const VAULT_HEADER = '$ANSIBLE_VAULT';

export function isVaultText(text: string): boolean {
  return text.trimStart().startsWith(VAULT_HEADER + ';');
}

export interface VaultEnvelope {
  version: string;
  vaultId?: string;
  salt: Buffer;
  hmac: Buffer;
  ciphertext: Buffer;
}

/** Why a vault text could not be read (not: why it could not be decrypted). */
export class VaultFormatError extends Error {}

const HEX = /^[0-9a-fA-F]*$/;

function unhex(s: string, what: string): Buffer {
  if (s.length % 2 !== 0 || !HEX.test(s)) throw new VaultFormatError(`the vault ${what} is not valid hex`);
  return Buffer.from(s, 'hex');
}

export function parseVault(text: string): VaultEnvelope {
  const lines = text.trim().split(/\r?\n/).map((l) => l.trim());
  const header = lines[0].split(';');
  if (header[0] !== VAULT_HEADER || header.length < 3) throw new VaultFormatError('the vault header is not "$ANSIBLE_VAULT;<version>;AES256"');
  const [, version, cipher, vaultId] = header;
  if (version !== '1.1' && version !== '1.2') throw new VaultFormatError(`vault format version ${version} is not supported (1.1 and 1.2 are)`);
  if (cipher.trim() !== 'AES256') throw new VaultFormatError(`the vault cipher ${cipher} is not supported (only AES256 is)`);
  const inner = unhex(lines.slice(1).join(''), 'payload').toString('latin1').split('\n');
  if (inner.length !== 3) throw new VaultFormatError('the vault payload does not hold salt, HMAC and ciphertext');
  return {
    version,
    vaultId: version === '1.2' ? vaultId : undefined,
    salt: unhex(inner[0], 'salt'),
    hmac: unhex(inner[1], 'HMAC'),
    ciphertext: unhex(inner[2], 'ciphertext'),
  };
}

/** The plaintext, or undefined when this password does not open the vault. */
export function decryptWith(env: VaultEnvelope, password: string | Buffer): Buffer | undefined {
  const derived = pbkdf2Sync(password, env.salt, 10000, 80, 'sha256');
  const aesKey = derived.subarray(0, 32);
  const hmacKey = derived.subarray(32, 64);
  const counter = derived.subarray(64, 80);
  const mac = createHmac('sha256', hmacKey).update(env.ciphertext).digest();
  if (mac.length !== env.hmac.length || !timingSafeEqual(mac, env.hmac)) return undefined;
  const decipher = createDecipheriv('aes-256-ctr', aesKey, counter);
  const padded = Buffer.concat([decipher.update(env.ciphertext), decipher.final()]);
  const pad = padded.length ? padded[padded.length - 1] : 0;
  if (pad < 1 || pad > 16 || pad > padded.length) return undefined;
  return padded.subarray(0, padded.length - pad);
}
