/**
 * Opens one authenticated SSH session to one hop: over TCP (Nagle off), or
 * through an already open bastion session (ProxyJump, via forwardOut).
 * Checks the host key and tries the authentication methods in OpenSSH's
 * order: agent, key files, password.
 */
import { availableParallelism } from 'node:os';
import { promises as fs } from 'node:fs';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import ssh2, { type AnyAuthMethod, type AuthenticationType, type Client, type ConnectConfig } from 'ssh2';

// ssh2 is CommonJS: Node's ESM loader sees only some of its names as named exports.
const { Client: SshClient, utils } = ssh2;
import { UnreachableError } from '../types.js';
import {
  changedHostKeyMessage,
  describe,
  otherTypeHostKeyMessage,
  reasonFor,
  reasonForForward,
  revokedHostKeyMessage,
  unknownHostKeyMessage,
} from './errors.js';
import { Limiter } from './limiter.js';
import { checkHostKey, hostKeyAlgorithms, hostKeyName, loadKnownHosts, recordHostKey } from './known-hosts.js';
import type { SshSettings } from './options.js';

export interface Hop {
  address: string;
  port: number;
  user: string;
  /** Only the target gets the inventory's password. */
  password?: string;
}

interface AuthAttempt {
  label: string;
  method: AnyAuthMethod;
}

/** Key files and the agent, readable now; notes say why a file was left out. */
async function authAttempts(hop: Hop, s: SshSettings): Promise<{ attempts: AuthAttempt[]; notes: string[] }> {
  const attempts: AuthAttempt[] = [];
  const notes: string[] = [];
  const username = hop.user;
  if (s.agent) {
    const st = await fs.stat(s.agent).catch(() => null);
    if (st) attempts.push({ label: 'ssh-agent', method: { type: 'agent', username, agent: s.agent } });
    else notes.push(`SSH_AUTH_SOCK=${s.agent} does not exist`);
  }
  for (const file of s.identityFiles) {
    let buf: Buffer;
    try {
      buf = await fs.readFile(file);
    } catch (e) {
      if (!s.defaultIdentities) notes.push(`key file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      continue;
    }
    const parsed = utils.parseKey(buf);
    if (parsed instanceof Error) {
      notes.push(
        /passphrase|encrypted/i.test(parsed.message)
          ? `key file ${file} is encrypted: add it to ssh-agent (ssh-add ${file})`
          : `key file ${file}: ${parsed.message}`,
      );
      continue;
    }
    attempts.push({ label: `publickey ${file}`, method: { type: 'publickey', username, key: buf } });
  }
  if (hop.password !== undefined && s.passwordAuthentication) {
    const password = hop.password;
    attempts.push({ label: 'password', method: { type: 'password', username, password } });
    attempts.push({
      label: 'keyboard-interactive',
      method: {
        type: 'keyboard-interactive',
        username,
        prompt: (_n, _i, _l, prompts, finish) => finish(prompts.map(() => password)),
      },
    });
  }
  return { attempts, notes };
}

function forward(via: Client, hop: Hop, ms: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(Object.assign(new Error(`after ${ms} ms`), { code: 'ETIMEDOUT' })), ms);
    via.forwardOut('127.0.0.1', 0, hop.address, hop.port, (err, stream) => {
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(stream);
    });
  });
}

export function hopLabel(hop: Hop): string {
  return `${hop.user}@${hop.port === 22 ? hop.address : `${hop.address}:${hop.port}`}`;
}

/**
 * Resolves with a ready client. Rejects with UnreachableError; `host` is the
 * inventory name, `hop` the machine this session goes to.
 */
export async function connectHop(host: string, hop: Hop, s: SshSettings, via?: { client: Client; label: string }): Promise<Client> {
  // The connect timeout counts from our handshake's start, not from its place in the queue.
  const release = await handshakes.acquire();
  try {
    return await handshake(host, hop, s, via);
  } finally {
    release();
  }
}

/**
 * Handshakes in progress at once, for the whole process. A run with --forks 500
 * would otherwise start 500 key exchanges together; on a small controller they
 * then share its CPU so thinly that hosts time out (ConnectTimeout) because of
 * the controller, not the network. Queued handshakes wait their turn.
 */
const handshakes = new Limiter(Number(process.env.TSPLAY_SSH_HANDSHAKES) || Math.max(16, 8 * availableParallelism()));

async function handshake(host: string, hop: Hop, s: SshSettings, via?: { client: Client; label: string }): Promise<Client> {
  const label = hopLabel(hop) + (via ? ` via ${via.label}` : '');
  const fail = (reason: UnreachableError['reason'], detail: string) =>
    new UnreachableError(host, reason, `${label}: ${reason === 'auth' || reason === 'host-key' || reason === 'other' ? detail : describe(reason, detail)}`);

  const name = hostKeyName(hop.address, hop.port);
  const knownFiles = [...s.userKnownHostsFiles, ...s.globalKnownHostsFiles];
  const entries = s.hostKeyChecking === 'off' ? [] : await loadKnownHosts(knownFiles);
  const { attempts, notes } = await authAttempts(hop, s);

  let sock: Duplex;
  if (via) {
    try {
      sock = await forward(via.client, hop, s.connectTimeoutMs);
    } catch (e) {
      const msg = (e as Error).message;
      const reason = (e as NodeJS.ErrnoException).code === 'ETIMEDOUT' ? 'timeout' : reasonForForward(msg);
      throw fail(reason, `${via.label} could not open a connection to ${hop.address}:${hop.port}: ${msg}`);
    }
  } else {
    const tcp = new Socket();
    tcp.setNoDelay(true); // ssh2 leaves Nagle on: 44 ms per exec instead of 1 ms
    tcp.setKeepAlive(true, 30_000);
    tcp.connect(hop.port, hop.address);
    sock = tcp;
  }

  return new Promise<Client>((resolve, reject) => {
    const client = new SshClient();
    let hostKeyFailure: UnreachableError | undefined;
    let settled = false;
    const tried: string[] = [];
    let serverMethods: string[] | null = null;
    let next = 0;

    const done = (err?: UnreachableError) => {
      if (settled) return;
      settled = true;
      if (err) {
        client.removeAllListeners('ready');
        client.end();
        sock.destroy();
        reject(err);
      } else resolve(client);
    };

    const hostVerifier = (key: Buffer, verify: (ok: boolean) => void): void => {
      if (s.hostKeyChecking === 'off') return verify(true);
      const check = checkHostKey(entries, name, key);
      const refuse = (msg: string) => {
        hostKeyFailure = new UnreachableError(host, 'host-key', `${label}: ${msg}`);
        verify(false);
      };
      switch (check.result) {
        case 'ok':
          return verify(true);
        case 'revoked':
          return refuse(revokedHostKeyMessage(name, key, check.revoked!));
        case 'changed':
          return refuse(changedHostKeyMessage(name, key, check.known));
        case 'other-type':
          return refuse(otherTypeHostKeyMessage(name, key, check.known));
        case 'unknown':
          if (s.hostKeyChecking === 'accept-new') {
            recordHostKey(s.userKnownHostsFiles[0], name, key).then(
              () => verify(true),
              (e) => refuse(`could not record the new host key in ${s.userKnownHostsFiles[0]}: ${(e as Error).message}`),
            );
            return;
          }
          return refuse(unknownHostKeyMessage(name, hop.address, hop.port, key, knownFiles, s.userKnownHostsFiles[0]));
      }
    };

    const authHandler = (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, cb: (m: AnyAuthMethod | false) => void) => {
      if (methodsLeft) serverMethods = methodsLeft;
      while (next < attempts.length) {
        const a = attempts[next++];
        const wire = a.method.type === 'agent' ? 'publickey' : a.method.type;
        if (methodsLeft && !methodsLeft.includes(wire as AuthenticationType)) continue;
        tried.push(a.label);
        return cb(a.method);
      }
      return cb(false);
    };

    client.on('ready', () => done());
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      if (settled) return;
      if (hostKeyFailure) return done(hostKeyFailure);
      const reason = reasonFor(err, false);
      if (reason === 'auth') {
        const parts = [`authentication failed as '${hop.user}'`];
        parts.push(tried.length ? `tried: ${tried.join(', ')}` : 'no key, agent or password to try');
        if (serverMethods) parts.push(`server accepts: ${serverMethods.join(',')}`);
        if (notes.length) parts.push(notes.join('; '));
        return done(fail('auth', parts.join('; ')));
      }
      if (reason === 'timeout') return done(fail('timeout', `after ${s.connectTimeoutMs} ms waiting for ${hop.address}:${hop.port} to connect and answer`));
      // The agent failing is not fatal: ssh2 moves on to the next method.
      if (err.level === 'agent') {
        notes.push(`ssh-agent: ${err.message}`);
        return;
      }
      done(fail(reason, err.message));
    });
    client.on('close', () => {
      if (!settled) done(hostKeyFailure ?? fail('dropped', 'the server closed the connection during the handshake'));
    });

    const algos = hostKeyAlgorithms(entries, name);
    const config: ConnectConfig = {
      sock: sock as ConnectConfig['sock'],
      username: hop.user,
      readyTimeout: s.connectTimeoutMs,
      keepaliveInterval: s.keepaliveIntervalMs,
      keepaliveCountMax: s.keepaliveCountMax,
      hostVerifier: hostVerifier as ConnectConfig['hostVerifier'],
      authHandler: authHandler as unknown as ConnectConfig['authHandler'],
      ...(algos ? { algorithms: { serverHostKey: algos as never } } : {}),
    };
    client.connect(config);
  });
}
