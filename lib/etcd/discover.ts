/**
 * What an etcd host's own files say about its member, as an operator reads
 * them: /etc/etcd/etcd.conf (name, URLs, data directory, certificates,
 * ETCD_INITIAL_CLUSTER), whether etcd runs as etcd.service or as the static
 * pod /etc/origin/node/pods/etcd.yaml, the master's etcdClientInfo and
 * flanneld's endpoints. Pure: the module reads the files in one round trip
 * and hands their text here, so every layout is tested without a host.
 */
import YAML from 'yaml';
import { getEnv, splitList } from '../module/files/formats.js';
import type { EtcdOverrides } from './discover-overrides.js';
import { urlOf } from './etcdctl.js';

export interface FileText {
  path: string;
  /** null when the file does not exist. */
  text: string | null;
}

export interface UnitState {
  load_state: string;
  active_state: string;
  unit_file_state: string;
}

export interface DiscoveryInput {
  /** The inventory host the facts are for. */
  host: string;
  /** The host is in [etcd]: it must be a member, so what cannot be learned is an error. */
  expect_member: boolean;
  etcd_conf: FileText;
  static_pod: FileText;
  master_config: FileText;
  flanneld: FileText;
  /** `systemctl show` of the etcd unit; null when systemd could not be asked. */
  unit: UnitState | null;
  unit_name: string;
  overrides: EtcdOverrides;
}

export interface EtcdTls {
  cert_file: string | null;
  key_file: string | null;
  trusted_ca_file: string | null;
  client_cert_auth: boolean;
  peer_cert_file: string | null;
  peer_key_file: string | null;
  peer_trusted_ca_file: string | null;
  peer_client_cert_auth: boolean;
}

export interface EtcdClientInfo {
  ca: string | null;
  cert_file: string | null;
  key_file: string | null;
  urls: string[];
}

export interface EtcdFacts {
  host: string;
  /** etcd.conf or the static pod is there: the host runs (or ran) a member. */
  member: boolean;
  deployment: 'systemd' | 'static_pod' | null;
  /** Why `deployment` is a guess (etcd.service and the manifest both there, etcd not running); null when the host's files decide it. */
  deployment_doubt: string | null;
  name: string | null;
  /** The address of the member's URLs, as `etcd_ip` would give it. */
  ip: string | null;
  data_dir: string | null;
  client_url: string | null;
  peer_url: string | null;
  listen_client_urls: string[];
  advertise_client_urls: string[];
  listen_peer_urls: string[];
  initial_advertise_peer_urls: string[];
  /** ETCD_INITIAL_CLUSTER as name → peer URLs (comma-separated when a name has several). */
  initial_cluster: Record<string, string>;
  initial_cluster_state: string | null;
  tls: EtcdTls;
  unit: (UnitState & { name: string }) | null;
  static_pod_manifest: string | null;
  static_pod_image: string | null;
  etcd_conf: string;
  /** On a master: master-config.yaml's etcdClientInfo, paths made absolute. */
  etcd_client_info: EtcdClientInfo | null;
  /** flanneld's FLANNEL_ETCD_ENDPOINTS, when flanneld is configured. */
  flannel_etcd_endpoints: string[] | null;
  /** Where each learned value came from: a file (`/etc/etcd/etcd.conf`), a variable (`etcd_ip`) or `default`. */
  sources: Record<string, string>;
}

export type Discovery =
  | { ok: true; facts: EtcdFacts; doubt: string | null }
  | { ok: false; missing: string[]; facts: EtcdFacts; doubt: string | null };

/** The host part of a URL, without IPv6 brackets; '' when it is not a URL. */
export function urlAddress(u: string): string {
  try {
    return new URL(u).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return '';
  }
}

function list(v: string | undefined): string[] {
  return v === undefined ? [] : splitList(v).map((s) => s.trim()).filter((s) => s !== '');
}

/** The client URLs an etcd.conf advertises (ETCD_ADVERTISE_CLIENT_URLS), in its order. */
export function advertisedClientUrls(etcdConf: string): string[] {
  return list(getEnv(etcdConf, 'ETCD_ADVERTISE_CLIENT_URLS')?.trim() || undefined);
}

/** `a=https://x:2380,b=https://y:2380` as { a: 'https://x:2380', b: ... }; a name given twice keeps both URLs. */
export function parseInitialCluster(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const item of list(value)) {
    const eq = item.indexOf('=');
    if (eq <= 0) continue;
    const name = item.slice(0, eq);
    const url = item.slice(eq + 1);
    out[name] = out[name] ? `${out[name]},${url}` : url;
  }
  return { ...out };
}

function bool(v: string | undefined): boolean {
  return v !== undefined && /^(true|1|yes)$/i.test(v.trim());
}

function isAbsolute(p: string): boolean {
  return p.startsWith('/');
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

/** master-config.yaml resolves relative paths against its own folder. */
function resolveFrom(configPath: string, p: unknown): string | null {
  if (typeof p !== 'string' || p === '') return null;
  return isAbsolute(p) ? p : `${dirname(configPath)}/${p}`;
}

function clientInfo(file: FileText, overrideUrls: string[] | undefined, sources: Record<string, string>): EtcdClientInfo | null {
  if (file.text === null) return null;
  let doc: unknown;
  try {
    doc = YAML.parse(file.text, { maxAliasCount: 100 });
  } catch {
    doc = null;
  }
  const info = doc && typeof doc === 'object' ? (doc as Record<string, unknown>).etcdClientInfo : undefined;
  if (!info || typeof info !== 'object') return null;
  const i = info as Record<string, unknown>;
  const urls = Array.isArray(i.urls) ? i.urls.map(String) : [];
  sources.etcd_client_info = overrideUrls ? 'openshift_master_etcd_urls' : file.path;
  return {
    ca: resolveFrom(file.path, i.ca),
    cert_file: resolveFrom(file.path, i.certFile),
    key_file: resolveFrom(file.path, i.keyFile),
    urls: overrideUrls ?? urls,
  };
}

function podImage(file: FileText): string | null {
  if (file.text === null) return null;
  try {
    const doc = YAML.parse(file.text, { maxAliasCount: 100 }) as { spec?: { containers?: { image?: unknown }[] } } | null;
    const image = doc?.spec?.containers?.[0]?.image;
    return typeof image === 'string' ? image : null;
  } catch {
    return null;
  }
}

/**
 * How etcd runs: systemd when etcd.service is running, or enabled (a stopped
 * etcd that starts at boot); else the static pod when its manifest is there
 * (openshift-ansible 3.11 runs etcd so on masters); else systemd when the
 * unit exists and etcd.conf is there (a stopped, disabled etcd on a dedicated
 * etcd host). An `etcd_deployment` variable decides before all. When both
 * are present and the unit is not running, the choice is a guess: `doubt`
 * says so, and the module warns.
 */
function deployment(input: DiscoveryInput, sources: Record<string, string>): { value: EtcdFacts['deployment']; doubt: string | null } {
  const o = input.overrides.etcd_deployment;
  if (o) {
    sources.deployment = 'etcd_deployment';
    return { value: o, doubt: null };
  }
  const u = input.unit !== null && input.unit.load_state === 'loaded' ? input.unit : null;
  const unitText = u ? `${input.unit_name} (${u.active_state}, ${u.unit_file_state})` : '';
  const pod = input.static_pod.text !== null;
  if (u && ['active', 'activating', 'reloading'].includes(u.active_state)) {
    sources.deployment = unitText;
    return { value: 'systemd', doubt: null };
  }
  const both = (chosen: string) =>
    u && pod && input.etcd_conf.text !== null
      ? `${unitText} and ${input.static_pod.path} are both there and etcd is not running: taken as ${chosen}; set etcd_deployment if it runs otherwise`
      : null;
  if (u && ['enabled', 'enabled-runtime'].includes(u.unit_file_state)) {
    sources.deployment = unitText;
    return { value: 'systemd', doubt: both('systemd') };
  }
  if (pod) {
    sources.deployment = input.static_pod.path;
    // A manifest in pods-stopped/ is etcd stopped as a static pod is stopped
    // (the documents' folder, static_pod's `stopped`): the host says so itself.
    const stopped = /\/pods-stopped\/[^/]+$/.test(input.static_pod.path);
    return { value: 'static_pod', doubt: stopped ? null : both('static_pod') };
  }
  if (u && input.etcd_conf.text !== null) {
    sources.deployment = unitText;
    return { value: 'systemd', doubt: null };
  }
  return { value: null, doubt: null };
}

export function discover(input: DiscoveryInput): Discovery {
  const o = input.overrides;
  const conf = input.etcd_conf.text;
  const confPath = input.etcd_conf.path;
  const env = (k: string) => (conf === null ? undefined : getEnv(conf, k)?.trim() || undefined);
  const sources: Record<string, string> = {};
  const from = <T>(key: string, pairs: [T | undefined, string][]): T | null => {
    for (const [v, source] of pairs) {
      if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) {
        sources[key] = source;
        return v;
      }
    }
    return null;
  };

  const name = from('name', [
    [o.etcd_hostname, 'etcd_hostname'],
    [env('ETCD_NAME'), confPath],
    [o.openshift_hostname, 'openshift_hostname'],
  ]);
  const advertiseClient = conf === null ? [] : advertisedClientUrls(conf);
  const advertisePeer = list(env('ETCD_INITIAL_ADVERTISE_PEER_URLS'));
  const confIp = urlAddress(advertiseClient[0] ?? advertisePeer[0] ?? '') || undefined;
  const ip = from('ip', [
    [o.etcd_ip, 'etcd_ip'],
    [confIp, confPath],
    [o.openshift_ip, 'openshift_ip'],
  ]);
  // A URL from the variables when the address came from one (openshift-ansible builds them so), else the file's.
  const ipFromVar = sources.ip === 'etcd_ip' || sources.ip === 'openshift_ip';
  const built = (scheme: string | undefined, dflt: number, p: number | undefined) => (ip === null ? undefined : urlOf(scheme ?? 'https', ip, p ?? dflt));
  const client_url = from('client_url', [
    [ipFromVar ? built(o.etcd_url_scheme, 2379, o.etcd_client_port) : undefined, sources.ip ?? ''],
    [advertiseClient[0], confPath],
  ]);
  const peer_url = from('peer_url', [
    [ipFromVar ? built(o.etcd_peer_url_scheme, 2380, o.etcd_peer_port) : undefined, sources.ip ?? ''],
    [advertisePeer[0], confPath],
  ]);
  const data_dir = from('data_dir', [
    [o.etcd_data_dir, 'etcd_data_dir'],
    [env('ETCD_DATA_DIR'), confPath],
    [conf === null ? '/var/lib/etcd/' : undefined, 'default'],
  ]);

  const member = conf !== null || input.static_pod.text !== null;
  const how = deployment(input, sources);
  const tlsDefault = (k: string, path: string) => env(k) ?? (conf === null ? path : null);
  const facts: EtcdFacts = {
    host: input.host,
    member,
    deployment: how.value,
    deployment_doubt: how.doubt,
    name,
    ip,
    data_dir,
    client_url,
    peer_url,
    listen_client_urls: list(env('ETCD_LISTEN_CLIENT_URLS')),
    advertise_client_urls: advertiseClient,
    listen_peer_urls: list(env('ETCD_LISTEN_PEER_URLS')),
    initial_advertise_peer_urls: advertisePeer,
    initial_cluster: parseInitialCluster(env('ETCD_INITIAL_CLUSTER')),
    initial_cluster_state: env('ETCD_INITIAL_CLUSTER_STATE') ?? null,
    tls: {
      cert_file: tlsDefault('ETCD_CERT_FILE', '/etc/etcd/server.crt'),
      key_file: tlsDefault('ETCD_KEY_FILE', '/etc/etcd/server.key'),
      trusted_ca_file: tlsDefault('ETCD_TRUSTED_CA_FILE', '/etc/etcd/ca.crt'),
      client_cert_auth: conf === null ? true : bool(env('ETCD_CLIENT_CERT_AUTH')),
      peer_cert_file: tlsDefault('ETCD_PEER_CERT_FILE', '/etc/etcd/peer.crt'),
      peer_key_file: tlsDefault('ETCD_PEER_KEY_FILE', '/etc/etcd/peer.key'),
      peer_trusted_ca_file: tlsDefault('ETCD_PEER_TRUSTED_CA_FILE', '/etc/etcd/ca.crt'),
      peer_client_cert_auth: conf === null ? true : bool(env('ETCD_PEER_CLIENT_CERT_AUTH')),
    },
    unit: input.unit ? { name: input.unit_name, ...input.unit } : null,
    static_pod_manifest: input.static_pod.text !== null ? input.static_pod.path : null,
    static_pod_image: podImage(input.static_pod),
    etcd_conf: confPath,
    etcd_client_info: clientInfo(input.master_config, o.openshift_master_etcd_urls, sources),
    flannel_etcd_endpoints: input.flanneld.text === null ? null : list(getEnv(input.flanneld.text, 'FLANNEL_ETCD_ENDPOINTS')),
    sources,
  };
  if (conf === null) sources.tls = 'default';
  const missing = input.expect_member ? missingFacts(facts, input) : [];
  return missing.length ? { ok: false, missing, facts, doubt: how.doubt } : { ok: true, facts, doubt: how.doubt };
}

/** What a member needs and could not be learned, each with the variable that supplies it. */
function missingFacts(f: EtcdFacts, input: DiscoveryInput): string[] {
  const confPath = input.etcd_conf.path;
  const why = input.etcd_conf.text === null ? `${confPath} does not exist` : `${confPath} has no`;
  const out: string[] = [];
  if (f.name === null) out.push(`the member name (${why}${input.etcd_conf.text === null ? '' : ' ETCD_NAME'}; set etcd_hostname)`);
  if (f.client_url === null) {
    out.push(`the client URL (${why}${input.etcd_conf.text === null ? '' : ' ETCD_ADVERTISE_CLIENT_URLS'}; set etcd_ip)`);
  }
  if (f.peer_url === null) {
    out.push(`the peer URL (${why}${input.etcd_conf.text === null ? '' : ' ETCD_INITIAL_ADVERTISE_PEER_URLS'}; set etcd_ip)`);
  }
  return out;
}

/** The one message a host's failure gives. */
export function describeMissing(host: string, missing: string[]): string {
  return `${host}: cannot learn ${missing.join(', ')}; nothing was changed`;
}
