/**
 * etcdctl command lines: TLS arguments and endpoints with the OpenShift 3.11
 * defaults, so a task needs no arguments on a 3.11 master.
 */
import { shellQuote } from '../module/kit.js';

/** Where OpenShift 3.11 keeps etcd's client credentials on a master. */
export const DEFAULT_CACERT = '/etc/etcd/ca.crt';
export const DEFAULT_CERT = '/etc/etcd/peer.crt';
export const DEFAULT_KEY = '/etc/etcd/peer.key';

/** Module arguments shared by every etcd module. */
export interface EtcdConnArgs {
  /** Client URLs; default https://<etcd_ip>:2379 of the task's host. */
  endpoints?: string[] | string;
  cacert?: string;
  cert?: string;
  key?: string;
  /**
   * The command that runs etcdctl, split by the shell: `etcdctl` by default;
   * for a static pod e.g. `docker exec -e ETCDCTL_API=3 <container> etcdctl`
   * (the wrapper must pass ETCDCTL_API=3 on: 3.2 and 3.3 default to v2).
   */
  etcdctl?: string;
}

/** JSON Schema properties for EtcdConnArgs, shared by the modules' schemas. */
export const etcdConnProperties = {
  endpoints: {
    anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }],
    description: 'Client URLs (list or comma-separated). Default: https://{{ etcd_ip }}:2379 of the host.',
  },
  cacert: { type: 'string', default: DEFAULT_CACERT, description: 'CA certificate of the etcd cluster.' },
  cert: { type: 'string', default: DEFAULT_CERT, description: 'Client certificate.' },
  key: { type: 'string', default: DEFAULT_KEY, description: 'Client key.' },
  etcdctl: {
    type: 'string',
    default: 'etcdctl',
    description: 'Command that runs etcdctl (v3 API), e.g. a `docker exec` into the etcd static pod.',
  },
} as const;

export interface EtcdConn {
  endpoints: string[];
  cacert: string;
  cert: string;
  key: string;
  etcdctl: string;
}

/** Splits a list or comma-separated string of URLs. */
export function splitUrls(v: string[] | string | undefined): string[] {
  const list = Array.isArray(v) ? v : (v ?? '').split(',');
  return list.map((s) => s.trim()).filter(Boolean);
}

/**
 * Resolves the arguments against the host's variables. Throws a plain
 * message when no endpoint can be found; the module turns it into a failure.
 */
export function resolveConn(args: EtcdConnArgs, hostVars: Readonly<Record<string, unknown>>): EtcdConn {
  let endpoints = splitUrls(args.endpoints);
  if (endpoints.length === 0) {
    const ip = hostVars.etcd_ip;
    if (typeof ip !== 'string' || ip === '') {
      throw new Error('no etcd endpoint: set `endpoints`, or the host variable etcd_ip');
    }
    endpoints = [`https://${ip}:2379`];
  }
  return {
    endpoints,
    cacert: args.cacert ?? DEFAULT_CACERT,
    cert: args.cert ?? DEFAULT_CERT,
    key: args.key ?? DEFAULT_KEY,
    etcdctl: args.etcdctl ?? 'etcdctl',
  };
}

/**
 * Timeouts short enough that a dead endpoint costs seconds, not the
 * default 5 s per call times every endpoint.
 */
const TIMEOUTS = ['--dial-timeout=2s', '--command-timeout=4s'];

/**
 * One etcdctl command line, on the v3 API whatever the version's default
 * (3.2 and 3.3, which OpenShift 3.11 ships, default to v2). `words` are
 * quoted; the etcdctl prefix is not (it may hold a wrapper).
 */
export function etcdctlCommand(conn: EtcdConn, words: string[], opts: { endpoints?: string[] } = {}): string {
  const eps = opts.endpoints ?? conn.endpoints;
  const flags = [`--endpoints=${eps.join(',')}`, `--cacert=${conn.cacert}`, `--cert=${conn.cert}`, `--key=${conn.key}`, ...TIMEOUTS];
  return `ETCDCTL_API=3 ${conn.etcdctl} ${[...flags, ...words].map(shellQuote).join(' ')}`;
}
