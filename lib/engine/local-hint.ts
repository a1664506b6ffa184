/**
 * `-i localhost,` names localhost in the inventory, so, as in Ansible, it is
 * reached over SSH (only the implicit localhost uses the local connection).
 * When no sshd answers there, the UNREACHABLE message says how to run on
 * this machine without SSH.
 */
import { UnreachableError } from '../connection/types.js';
import { LOCALHOST_NAMES } from '../inventory/index.js';

export function unreachableMessage(e: UnreachableError): string {
  if (e.reason !== 'refused' || !LOCALHOST_NAMES.includes(e.host)) return e.message;
  return `${e.message} ${e.host} is this machine: to run on it without SSH, use the local connection (-c local, or ansible_connection=local in the inventory)`;
}
