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
  /** Client URLs; default: the task's host's own (etcd_ip, openshift_ip, its etcd.conf, ansible_host). */
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
    description:
      "Client URLs (list or comma-separated). Default: the host's own, https://ADDRESS:2379 with the first of the variables etcd_ip and " +
      'openshift_ip, else the first URL of ETCD_ADVERTISE_CLIENT_URLS in its /etc/etcd/etcd.conf, else its ansible_host.',
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

/** The variables that give a host's etcd address, in openshift-ansible's order (etcd_ip defaults to openshift_ip). */
export const ADDRESS_VARIABLES = ['etcd_ip', 'openshift_ip'] as const;

/** https://ADDRESS:2379, brackets around an IPv6 address. */
export function clientUrlOf(address: string): string {
  return urlOf('https', address, 2379);
}

/** SCHEME://ADDRESS:PORT, brackets around an IPv6 address: how openshift-ansible builds etcd's URLs. */
export function urlOf(scheme: string, address: string, port: number): string {
  return `${scheme}://${address.includes(':') && !address.startsWith('[') ? `[${address}]` : address}:${port}`;
}

/** The endpoint the host's variables give, before its files are read; undefined when none does. */
export function endpointFromVars(hostVars: Readonly<Record<string, unknown>>): string | undefined {
  for (const k of ADDRESS_VARIABLES) {
    const v = hostVars[k];
    if (typeof v === 'string' && v !== '') return clientUrlOf(v);
  }
  return undefined;
}

/** What to say when nothing gave an endpoint. */
export const NO_ENDPOINT =
  'no etcd endpoint: set `endpoints`, or the host variable etcd_ip or openshift_ip (the host has no ' +
  '/etc/etcd/etcd.conf with ETCD_ADVERTISE_CLIENT_URLS and no ansible_host either)';

/**
 * Resolves the arguments against the host's variables; `fallback` is the
 * endpoint found another way (the host's etcd.conf, its ansible_host) when
 * the variables give none. Throws a plain message when there is no endpoint;
 * the module turns it into a failure.
 */
export function resolveConn(args: EtcdConnArgs, hostVars: Readonly<Record<string, unknown>>, fallback?: string): EtcdConn {
  let endpoints = splitUrls(args.endpoints);
  if (endpoints.length === 0) {
    const ep = endpointFromVars(hostVars) ?? fallback;
    if (!ep) throw new Error(NO_ENDPOINT);
    endpoints = [ep];
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
const DIAL_TIMEOUT = '--dial-timeout=2s';
const COMMAND_TIMEOUT_SECONDS = 4;

/**
 * One etcdctl command line, on the v3 API whatever the version's default
 * (3.2 and 3.3, which OpenShift 3.11 ships, default to v2). `words` are
 * quoted; the etcdctl prefix is not (it may hold a wrapper).
 */
export function etcdctlCommand(conn: EtcdConn, words: string[], opts: { endpoints?: string[]; commandTimeoutSeconds?: number } = {}): string {
  const eps = opts.endpoints ?? conn.endpoints;
  // A defrag blocks its member for as long as it takes: it is given its own, longer timeout.
  const timeouts = [DIAL_TIMEOUT, `--command-timeout=${opts.commandTimeoutSeconds ?? COMMAND_TIMEOUT_SECONDS}s`];
  const flags = [`--endpoints=${eps.join(',')}`, `--cacert=${conn.cacert}`, `--cert=${conn.cert}`, `--key=${conn.key}`, ...timeouts];
  return `ETCDCTL_API=3 ${conn.etcdctl} ${[...flags, ...words].map(shellQuote).join(' ')}`;
}
