/**
 * Turns what ssh2 and the socket report into UnreachableError with a reason
 * an operator can act on, and writes the host-key messages.
 */
import { UnreachableError } from '../types.js';
import { fingerprint, keyscanType, keyTypeLabel, keyTypeOf, type KnownHostEntry } from './known-hosts.js';

export type Reason = UnreachableError['reason'];

/** ssh2 errors carry a `level` (client-socket, client-timeout, client-authentication, ...) and sockets a `code`. */
export function reasonFor(err: Error & { level?: string; code?: string }, ready: boolean): Reason {
  const code = err.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || err.level === 'client-dns') return 'dns';
  if (code === 'ECONNREFUSED') return 'refused';
  if (ready) return 'dropped';
  if (code === 'ETIMEDOUT' || err.level === 'client-timeout') return 'timeout';
  if (err.level === 'client-authentication') return 'auth';
  if (code === 'ECONNRESET' || code === 'EPIPE' || /Connection lost before handshake/.test(err.message)) return 'dropped';
  return 'other';
}

/** A forwardOut failure on a bastion: the bastion tells us why it could not reach the next hop. */
export function reasonForForward(message: string): Reason {
  if (/refused/i.test(message)) return 'refused';
  if (/timed? ?out/i.test(message)) return 'timeout';
  if (/resolve|name or service|not known|getaddrinfo|no address/i.test(message)) return 'dns';
  return 'other';
}

export function describe(reason: Reason, detail: string): string {
  switch (reason) {
    case 'refused':
      return `connection refused${detail ? ` (${detail})` : ''}: is sshd running and listening on that port?`;
    case 'timeout':
      return `timed out${detail ? ` ${detail}` : ''}`;
    case 'dns':
      return `could not resolve the host name${detail ? ` (${detail})` : ''}`;
    case 'dropped':
      return `connection dropped${detail ? ` (${detail})` : ''}`;
    default:
      return detail;
  }
}

function keyLine(key: Buffer): string {
  return `${keyTypeLabel(keyTypeOf(key))} key fingerprint is ${fingerprint(key)}`;
}

export function unknownHostKeyMessage(name: string, address: string, port: number, key: Buffer, files: string[], writeTo: string): string {
  const portArg = port === 22 ? '' : `-p ${port} `;
  return [
    `the authenticity of host '${name}' can't be established: no key for it in ${files.join(', ') || 'any known_hosts file'}.`,
    `The server offers: ${keyLine(key)}.`,
    `Verify that fingerprint out of band (on the host: ssh-keygen -lf /etc/ssh/ssh_host_${keyscanType(keyTypeOf(key))}_key.pub), then either add it:`,
    `  ssh-keyscan ${portArg}-t ${keyscanType(keyTypeOf(key))} ${address} >> ${writeTo}`,
    `or run with --host-key-checking=accept-new to record the keys of hosts not seen before.`,
  ].join('\n');
}

export function changedHostKeyMessage(name: string, key: Buffer, known: KnownHostEntry[]): string {
  const k = known[0];
  return [
    '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
    '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @',
    '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
    'IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!',
    `The ${keyTypeLabel(keyTypeOf(key))} host key for '${name}' has changed.`,
    `  known:   ${fingerprint(k.key)} (${k.file}:${k.line})`,
    `  offered: ${fingerprint(key)}`,
    'tsplay refuses to connect, with any --host-key-checking setting but off.',
    `If the host was really reinstalled, remove the old key: ssh-keygen -f ${k.file} -R '${name}'`,
  ].join('\n');
}

export function otherTypeHostKeyMessage(name: string, key: Buffer, known: KnownHostEntry[]): string {
  const k = known[0];
  return [
    `host '${name}' offered a ${keyLine(key)}, but known_hosts has only a ${keyTypeLabel(k.keyType)} key for it (${k.file}:${k.line}, ${fingerprint(k.key)}).`,
    'The server no longer offers the known key type: refusing, as for a changed key.',
    `If this is expected, remove the old key (ssh-keygen -f ${k.file} -R '${name}') and add the new one after verifying it.`,
  ].join('\n');
}

export function revokedHostKeyMessage(name: string, key: Buffer, entry: KnownHostEntry): string {
  return `host '${name}' offered a revoked key: ${keyLine(key)}, marked @revoked at ${entry.file}:${entry.line}. Refusing to connect.`;
}
