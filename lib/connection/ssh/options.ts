/**
 * Connection settings for one host, from Ansible's inventory variables
 * (ansible_host, ansible_port, ansible_user, ansible_ssh_private_key_file,
 * ansible_password, ansible_ssh_common_args, ...) and the run's options.
 */
import { homedir, userInfo } from 'node:os';
import { resolve } from 'node:path';
import { TsplayError } from '../../errors.js';

export type HostKeyChecking = 'strict' | 'accept-new' | 'off';

/** One SSH hop of a ProxyJump chain. */
export interface JumpHost {
  address: string;
  port: number;
  user: string;
}

export interface SshSettings {
  /** Address connected to (ansible_host, else the inventory name). */
  address: string;
  port: number;
  user: string;
  /** Private key files to offer, in order. Missing default keys are skipped. */
  identityFiles: string[];
  /** True when identityFiles are the implicit defaults (~/.ssh/id_*). */
  defaultIdentities: boolean;
  password?: string;
  /** ssh-agent socket (SSH_AUTH_SOCK); undefined disables the agent. */
  agent?: string;
  /** false when -o PasswordAuthentication=no. */
  passwordAuthentication: boolean;
  /** Bastions to go through, first to last (-o ProxyJump / -J). */
  jump: JumpHost[];
  /** Files read and written for host keys (UserKnownHostsFile; default ~/.ssh/known_hosts); the first is where accept-new writes. */
  userKnownHostsFiles: string[];
  /** Files only read (GlobalKnownHostsFile, the run's knownHostsFiles). */
  globalKnownHostsFiles: string[];
  hostKeyChecking: HostKeyChecking;
  /** Bounds TCP connect plus SSH handshake and authentication, per hop. */
  connectTimeoutMs: number;
  /** 0 disables keepalives. */
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  /** Channels open at once on this connection; more wait their turn. */
  maxChannels: number;
  /**
   * Plain commands go through one long-lived shell per connection (shell.ts)
   * instead of a channel each. Off with tsplay_ssh_session_shell=false or
   * TSPLAY_SSH_SESSION_SHELL=0.
   */
  sessionShell: boolean;
  /** Things in the inventory that were not understood, for the run's log. */
  warnings: string[];
}

export interface SshRunOptions {
  hostKeyChecking?: HostKeyChecking;
  connectTimeoutMs?: number;
  password?: string;
  /** Extra known_hosts files, read only (e.g. the lab's inventory file). */
  knownHostsFiles?: string[];
  keepaliveIntervalMs?: number;
  maxChannels?: number;
}

export const DEFAULT_IDENTITY_FILES = ['id_ed25519', 'id_rsa', 'id_ecdsa'];

/** Expands `~` and makes a path absolute against the current directory, as Ansible does. */
export function expandPath(p: string): string {
  if (p === '~') return homedir();
  if (p.startsWith('~/')) return resolve(homedir(), p.slice(2));
  return resolve(process.cwd(), p);
}

/** Splits a command line like a POSIX shell: quotes and backslashes, no expansions. */
export function splitArgs(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === "'") {
      const j = s.indexOf("'", i + 1);
      if (j < 0) throw new Error(`unterminated ' in: ${s}`);
      cur += s.slice(i + 1, j);
      has = true;
      i = j + 1;
    } else if (c === '"') {
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < s.length && '"\\$`'.includes(s[i + 1])) i++;
        cur += s[i++];
      }
      if (i >= s.length) throw new Error(`unterminated " in: ${s}`);
      has = true;
      i++;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[i + 1];
      has = true;
      i += 2;
    } else if (/\s/.test(c)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
      i++;
    } else {
      cur += c;
      has = true;
      i++;
    }
  }
  if (has) out.push(cur);
  return out;
}

/** `[user@]host[:port]`, `[user@][v6addr]:port`, or `ssh://[user@]host[:port]`. */
export function parseJumpHost(spec: string, defaultUser: string): JumpHost {
  let s = spec.trim().replace(/^ssh:\/\//, '');
  let user = defaultUser;
  const at = s.lastIndexOf('@');
  if (at >= 0) {
    user = s.slice(0, at);
    s = s.slice(at + 1);
  }
  let address = s;
  let port = 22;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6) {
    address = v6[1];
    if (v6[2]) port = Number(v6[2]);
  } else {
    const m = /^([^:]+):(\d+)$/.exec(s);
    if (m) {
      address = m[1];
      port = Number(m[2]);
    }
  }
  if (!address || !user || !(port > 0 && port < 65536)) throw new Error(`cannot read jump host '${spec}' (expected [user@]host[:port])`);
  return { address, port, user };
}

/** The ssh command-line options tsplay understands, from ansible_ssh_common_args / ansible_ssh_extra_args. */
export interface SshArgs {
  options: Map<string, string>; // lower-cased option name -> first value (OpenSSH: first one wins)
  identityFiles: string[];
  port?: number;
  user?: string;
  jump?: string;
  unknown: string[];
}

export function parseSshArgs(text: string): SshArgs {
  const args = splitArgs(text);
  const r: SshArgs = { options: new Map(), identityFiles: [], unknown: [] };
  const setOpt = (kv: string) => {
    const m = /^\s*([A-Za-z0-9]+)\s*(?:=|\s)\s*(.*)$/.exec(kv);
    if (!m) {
      r.unknown.push(`-o ${kv}`);
      return;
    }
    const name = m[1].toLowerCase();
    if (name === 'identityfile') r.identityFiles.push(m[2]);
    else if (!r.options.has(name)) r.options.set(name, m[2]);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const val = (flag: string): string | undefined => {
      if (a.length > 2) return a.slice(2);
      if (i + 1 < args.length) return args[++i];
      r.unknown.push(flag);
      return undefined;
    };
    if (a.startsWith('-o')) {
      const v = val('-o');
      if (v !== undefined) setOpt(v);
    } else if (a.startsWith('-i')) {
      const v = val('-i');
      if (v !== undefined) r.identityFiles.push(v);
    } else if (a.startsWith('-p')) {
      const v = val('-p');
      if (v !== undefined) r.port ??= Number(v);
    } else if (a.startsWith('-l')) {
      const v = val('-l');
      if (v !== undefined) r.user ??= v;
    } else if (a.startsWith('-J')) {
      const v = val('-J');
      if (v !== undefined) r.jump ??= v;
    } else if (/^-[46ACTqtvx]+$/.test(a)) {
      // flags with no bearing on a non-interactive command channel
    } else {
      r.unknown.push(a);
    }
  }
  return r;
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return String(v);
}

function hostKeyCheckingFrom(v: string, host: string): HostKeyChecking {
  switch (v.toLowerCase()) {
    case 'yes':
    case 'ask': // nobody is there to answer: as strict as yes
      return 'strict';
    case 'accept-new':
      return 'accept-new';
    case 'no':
    case 'off':
      return 'off';
    default:
      throw new TsplayError('validation', `host '${host}': StrictHostKeyChecking=${v} is not understood`, {
        hint: 'use yes, accept-new or no',
      });
  }
}

function secondsToMs(v: string, what: string, host: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new TsplayError('validation', `host '${host}': ${what}=${v} is not a number of seconds`);
  return n * 1000;
}

/** Resolves everything needed to reach `host` from its variables. */
export function sshSettingsFromVars(host: string, vars: Record<string, unknown>, run: SshRunOptions = {}): SshSettings {
  const common = str(vars.ansible_ssh_common_args) ?? '';
  const extra = str(vars.ansible_ssh_extra_args) ?? '';
  // ansible.cfg's ssh_args (ansible_ssh_args) come first, as Ansible's ssh command line has them.
  const base = str(vars.ansible_ssh_args) ?? '';
  let args: SshArgs;
  try {
    args = parseSshArgs(`${base} ${common} ${extra}`);
  } catch (e) {
    throw new TsplayError('validation', `host '${host}': cannot read ansible_ssh_args/common_args/extra_args: ${(e as Error).message}`);
  }
  const o = args.options;
  const warnings: string[] = [];
  const handled = new Set([
    'proxyjump', 'userknownhostsfile', 'globalknownhostsfile', 'stricthostkeychecking', 'connecttimeout',
    'serveraliveinterval', 'serveralivecountmax', 'port', 'user', 'passwordauthentication', 'identitiesonly',
    'controlmaster', 'controlpersist', 'controlpath', 'forwardagent', 'hashknownhosts', 'loglevel', 'batchmode',
  ]);
  for (const k of o.keys()) if (!handled.has(k)) warnings.push(`ssh option -o ${k} is not supported by tsplay and was ignored`);
  for (const u of args.unknown) warnings.push(`ssh argument '${u}' is not supported by tsplay and was ignored`);

  const localUser = process.env.USER || userInfo().username;
  const address = str(vars.ansible_host) ?? str(vars.ansible_ssh_host) ?? host;
  const portText = str(vars.ansible_port) ?? str(vars.ansible_ssh_port) ?? (args.port !== undefined ? String(args.port) : undefined) ?? o.get('port') ?? '22';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TsplayError('validation', `host '${host}': ansible_port '${portText}' is not a TCP port`);
  const user = str(vars.ansible_user) ?? str(vars.ansible_ssh_user) ?? args.user ?? o.get('user') ?? localUser;

  const keyVar = str(vars.ansible_ssh_private_key_file) ?? str(vars.ansible_private_key_file);
  const given = [...(keyVar ? [keyVar] : []), ...args.identityFiles];
  const defaultIdentities = given.length === 0;
  const identityFiles = defaultIdentities ? DEFAULT_IDENTITY_FILES.map((f) => expandPath(`~/.ssh/${f}`)) : given.map(expandPath);

  let hostKeyChecking: HostKeyChecking = run.hostKeyChecking ?? 'strict';
  // A setting written for this host is more specific than the run's default.
  if (o.has('stricthostkeychecking')) hostKeyChecking = hostKeyCheckingFrom(o.get('stricthostkeychecking')!, host);
  const fileList = (v: string) => splitArgs(v).map(expandPath);
  const userKnownHostsFiles = o.has('userknownhostsfile') ? fileList(o.get('userknownhostsfile')!) : [expandPath('~/.ssh/known_hosts')];
  const globalKnownHostsFiles = [
    ...(o.has('globalknownhostsfile') ? fileList(o.get('globalknownhostsfile')!) : ['/etc/ssh/ssh_known_hosts']),
    ...(run.knownHostsFiles ?? []).map(expandPath),
  ];

  let connectTimeoutMs = run.connectTimeoutMs ?? 10_000;
  const timeoutVar = str(vars.ansible_ssh_timeout) ?? str(vars.ansible_timeout);
  if (timeoutVar) connectTimeoutMs = secondsToMs(timeoutVar, 'ansible_ssh_timeout', host);
  if (o.has('connecttimeout')) connectTimeoutMs = secondsToMs(o.get('connecttimeout')!, 'ConnectTimeout', host);

  let keepaliveIntervalMs = run.keepaliveIntervalMs ?? 10_000;
  if (o.has('serveraliveinterval')) keepaliveIntervalMs = secondsToMs(o.get('serveraliveinterval')!, 'ServerAliveInterval', host);
  const keepaliveCountMax = o.has('serveralivecountmax') ? Number(o.get('serveralivecountmax')) : 3;

  const jumpSpec = o.get('proxyjump') ?? args.jump;
  let jump: JumpHost[] = [];
  if (jumpSpec && jumpSpec.toLowerCase() !== 'none') {
    try {
      // OpenSSH logs in to a bastion as the local user unless the spec names one.
      jump = jumpSpec.split(',').map((s) => parseJumpHost(s, localUser));
    } catch (e) {
      throw new TsplayError('validation', `host '${host}': ${(e as Error).message}`);
    }
  }

  const password = str(vars.ansible_password) ?? str(vars.ansible_ssh_pass) ?? str(vars.ansible_ssh_password) ?? run.password;
  const passwordAuthentication = (o.get('passwordauthentication') ?? 'yes').toLowerCase() !== 'no';
  const agent = process.env.SSH_AUTH_SOCK || undefined;

  return {
    address,
    port,
    user,
    identityFiles,
    defaultIdentities,
    password,
    agent,
    passwordAuthentication,
    jump,
    userKnownHostsFiles,
    globalKnownHostsFiles,
    hostKeyChecking,
    connectTimeoutMs,
    keepaliveIntervalMs,
    keepaliveCountMax: Number.isFinite(keepaliveCountMax) ? keepaliveCountMax : 3,
    maxChannels: run.maxChannels ?? 8,
    sessionShell: sessionShellWanted(vars.tsplay_ssh_session_shell),
    warnings,
  };
}

function sessionShellWanted(v: unknown): boolean {
  if (process.env.TSPLAY_SSH_SESSION_SHELL === '0') return false;
  if (v === undefined || v === null) return true;
  return !['false', 'no', 'off', '0'].includes(String(v).trim().toLowerCase());
}
