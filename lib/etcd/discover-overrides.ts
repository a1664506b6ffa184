/**
 * openshift-ansible 3.11's own variable names for what an etcd host's files
 * say. When the inventory sets one, it wins over the file (the operator knows
 * better, or the host has no file yet); names and defaults are those of
 * roles/etcd/defaults/main.yaml and roles/openshift_facts of release-3.11.
 */

export interface EtcdOverrides {
  /** ETCD_NAME (openshift-ansible writes `etcd_hostname`, itself `openshift_hostname` by default). */
  etcd_hostname?: string;
  /** The address of the client and peer URLs (openshift-ansible: `etcd_ip`, else `openshift_ip`). */
  etcd_ip?: string;
  openshift_hostname?: string;
  openshift_ip?: string;
  etcd_client_port?: number;
  etcd_peer_port?: number;
  etcd_url_scheme?: string;
  etcd_peer_url_scheme?: string;
  etcd_data_dir?: string;
  /** The master's etcd client URLs (master-config.yaml's etcdClientInfo.urls). */
  openshift_master_etcd_urls?: string[];
  /** tsplay's own: `systemd` or `static_pod` when the host's files cannot tell (both or neither present). */
  etcd_deployment?: 'systemd' | 'static_pod';
}

export const OVERRIDE_NAMES = [
  'etcd_hostname',
  'etcd_ip',
  'openshift_hostname',
  'openshift_ip',
  'etcd_client_port',
  'etcd_peer_port',
  'etcd_url_scheme',
  'etcd_peer_url_scheme',
  'etcd_data_dir',
  'openshift_master_etcd_urls',
  'etcd_deployment',
] as const;

function text(v: unknown): string | undefined {
  if (typeof v === 'number') return String(v);
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function port(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : undefined;
}

function urls(v: unknown): string[] | undefined {
  const list = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(',') : [];
  const out = list.map((u) => u.trim()).filter((u) => u !== '');
  return out.length ? out : undefined;
}

/**
 * The overrides from the task's arguments, then from the host's variables
 * (its inventory): an argument wins over a variable of the same name.
 */
export function collectOverrides(args: Readonly<Record<string, unknown>>, hostVars: Readonly<Record<string, unknown>>): EtcdOverrides {
  const pick = (k: string) => (args[k] !== undefined && args[k] !== null ? args[k] : hostVars[k]);
  const out: EtcdOverrides = {};
  for (const k of ['etcd_hostname', 'etcd_ip', 'openshift_hostname', 'openshift_ip', 'etcd_url_scheme', 'etcd_peer_url_scheme', 'etcd_data_dir'] as const) {
    const v = text(pick(k));
    if (v !== undefined) out[k] = v;
  }
  for (const k of ['etcd_client_port', 'etcd_peer_port'] as const) {
    const v = port(pick(k));
    if (v !== undefined) out[k] = v;
  }
  const masterUrls = urls(pick('openshift_master_etcd_urls'));
  if (masterUrls) out.openshift_master_etcd_urls = masterUrls;
  const deployment = pick('etcd_deployment');
  if (deployment === 'systemd' || deployment === 'static_pod') out.etcd_deployment = deployment;
  return out;
}
