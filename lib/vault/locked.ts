/**
 * A `!vault` value that could not be decrypted (no vault password given, or
 * none fits). Ansible decrypts a vault value when it is used, so an unused
 * one is no error; this stands in for it and fails the task that reads it,
 * with Ansible's message.
 */
import { TsplayError } from '../errors.js';

/** The failure of reading a locked vault value: about the value, so no template position is added to it. */
export class LockedVaultError extends TsplayError {}

export class LockedVault {
  constructor(
    readonly reason: string,
    /** The vault text as written, which is no secret. */
    readonly ciphertext: string,
  ) {}

  error(): TsplayError {
    return new LockedVaultError('template', this.reason, {
      hint: 'give the vault password with --vault-password-file FILE, --ask-vault-pass or --vault-id',
      exitCode: 2,
    });
  }

  /** Read as text (a connection password, say): the same failure, never the ciphertext. */
  toString(): string {
    throw this.error();
  }

  /** As ansible-inventory --list prints a vault value. */
  toJSON(): { __ansible_vault: string } {
    return { __ansible_vault: this.ciphertext };
  }
}
