/**
 * Shared by the SSH connection tests: a real sshd that test users log in to
 * with one key, its host keys already in a known_hosts file, and SSH
 * connections to it that use that key and never the caller's agent.
 */
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SshConnection } from '../../lib/connection/ssh/connection.js';
import { sshSettingsFromVars } from '../../lib/connection/ssh/options.js';
import { ensureTestUsers, makeKey, startSshd, tempDir, type KeyPair, type Sshd } from '../helpers/sshd.js';

export interface KeyedSshd {
  /** The test's own directory: the key pair and known_hosts. */
  dir: string;
  key: KeyPair;
  sshd: Sshd;
  knownHosts: string;
  /** The host variables that reach the sshd as `user` with the key. */
  vars(user: string, extra?: Record<string, unknown>): Record<string, unknown>;
  /** An SSH connection to the sshd for inventory host `host`, as `user`. */
  connect(host: string, user: string, extra?: Record<string, unknown>): SshConnection;
}

/** Starts an sshd on `address` that `users` log in to with one ed25519 key; it stops when the test file ends. */
export async function keyedSshd(prefix: string, address: string, users: string[]): Promise<KeyedSshd> {
  ensureTestUsers();
  const dir = tempDir(prefix);
  const key = makeKey(dir, 'id_ed25519');
  const sshd = await startSshd({ address, authorized: Object.fromEntries(users.map((u) => [u, [key.line]])) });
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, sshd.knownHostsLines().join('\n') + '\n');
  t.teardown(() => sshd.stop());
  const vars = (user: string, extra: Record<string, unknown> = {}) => ({
    ansible_host: sshd.address,
    ansible_port: sshd.port,
    ansible_user: user,
    ansible_ssh_private_key_file: key.private,
    ansible_ssh_common_args: `-o UserKnownHostsFile=${knownHosts}`,
    ...extra,
  });
  const connect = (host: string, user: string, extra: Record<string, unknown> = {}) => {
    const s = sshSettingsFromVars(host, vars(user, extra));
    s.agent = undefined; // whatever agent the caller's shell has must not log us in
    return new SshConnection(host, s);
  };
  return { dir, key, sshd, knownHosts, vars, connect };
}
