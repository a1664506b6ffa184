/**
 * Counts the round trips a connection makes on the wire: every exec channel,
 * every SFTP session and every SFTP request (ssh2's Client and SFTP are
 * instrumented while a counter is active), and every call on the
 * connection (which for the local connection is a process or an fs call).
 */
import ssh2 from 'ssh2';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { SFTP } = require('ssh2/lib/protocol/SFTP.js') as { SFTP: { prototype: Record<string, unknown> } };

export interface Counts {
  exec: number;
  sftpSession: number;
  sftp: number;
  /** What happened, in order. */
  log: string[];
}

// Only the methods that send one request each (fchmod, chmod, chown, fchown go through setstat/fsetstat).
const SFTP_REQUESTS = ['open', 'close', 'read', 'write', 'fstat', 'stat', 'lstat', 'setstat', 'fsetstat', 'unlink', 'rename', 'ext_openssh_rename', 'ext_openssh_fsync', 'realpath', 'readdir', 'opendir', 'mkdir', 'rmdir', 'readlink', 'symlink'];

let active: Counts | undefined;
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  const client = ssh2.Client.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const exec = client.exec;
  client.exec = function (this: unknown, ...a: unknown[]) {
    if (active) {
      active.exec++;
      active.log.push(`exec ${String(a[0]).split('\n')[0].slice(0, 60)}`);
    }
    return exec.apply(this, a);
  };
  const sftp = client.sftp;
  client.sftp = function (this: unknown, ...a: unknown[]) {
    if (active) {
      active.sftpSession++;
      active.log.push('sftp session');
    }
    return sftp.apply(this, a);
  };
  for (const name of SFTP_REQUESTS) {
    const orig = SFTP.prototype[name] as (...a: unknown[]) => unknown;
    if (typeof orig !== 'function') continue;
    SFTP.prototype[name] = function (this: unknown, ...a: unknown[]) {
      if (active) {
        active.sftp++;
        active.log.push(`sftp ${name}${typeof a[0] === 'string' ? ` ${a[0]}` : ''}`);
      }
      return orig.apply(this, a);
    };
  }
}

/** Counts what `fn` does on the wire. */
export async function countRoundTrips(fn: () => Promise<unknown>): Promise<Counts> {
  install();
  const counts: Counts = { exec: 0, sftpSession: 0, sftp: 0, log: [] };
  active = counts;
  try {
    await fn();
  } finally {
    active = undefined;
  }
  return counts;
}

export function total(c: Counts): number {
  return c.exec + c.sftpSession + c.sftp;
}
