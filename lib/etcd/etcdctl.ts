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
const DIAL_TIMEOUT_S = 2;
const COMMAND_TIMEOUT_S = 4;

/**
 * One etcdctl command line, on the v3 API whatever the version's default
 * (3.2 and 3.3, which OpenShift 3.11 ships, default to v2). `words` are
 * quoted; the etcdctl prefix is not (it may hold a wrapper).
 */
export function etcdctlCommand(conn: EtcdConn, words: string[], opts: { endpoints?: string[]; commandTimeoutS?: number } = {}): string {
  const eps = opts.endpoints ?? conn.endpoints;
  // A defrag blocks its member for as long as it takes: it is given its own, longer timeout.
  const timeouts = [`--dial-timeout=${DIAL_TIMEOUT_S}s`, `--command-timeout=${opts.commandTimeoutS ?? COMMAND_TIMEOUT_S}s`];
  const flags = [`--endpoints=${eps.join(',')}`, `--cacert=${conn.cacert}`, `--cert=${conn.cert}`, `--key=${conn.key}`, ...timeouts];
  return `ETCDCTL_API=3 ${conn.etcdctl} ${[...flags, ...words].map(shellQuote).join(' ')}`;
}

/**
 * `endpoint status` of one endpoint. etcdctl 3.4 dials without blocking, so
 * an endpoint where nothing listens (a host that is up with etcd stopped)
 * costs the whole command timeout (4 s), each time a playbook reads the
 * cluster. The host first tries a TCP connection to the endpoint, bounded by
 * the dial timeout: when none is made, etcdctl is still asked (its answer is
 * the one reported) but with a 0.5 s command timeout: nothing listened a
 * moment ago, and an etcd that starts listening serves no client before it
 * has joined its cluster. Without bash on the host (its /dev/tcp) the full
 * timeout stays.
 */
export function endpointStatusCommand(conn: EtcdConn, endpoint: string): string {
  const words = ['endpoint', 'status', '-w', 'json'];
  const full = etcdctlCommand(conn, words, { endpoints: [endpoint] });
  let target: URL;
  try {
    target = new URL(endpoint);
  } catch {
    return full;
  }
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = target.port || (target.protocol === 'http:' ? '80' : '443');
  const connects = `timeout ${DIAL_TIMEOUT_S} bash -c ${shellQuote('exec 3<>"/dev/tcp/$0/$1"')} ${shellQuote(host)} ${shellQuote(port)} 2>/dev/null`;
  const short = etcdctlCommand(conn, words, { endpoints: [endpoint], commandTimeoutS: 0.5 });
  return `if ! command -v bash >/dev/null 2>&1 || ${connects}; then ${full}; else ${short}; fi`;
}
