/**
 * One connection per host, opened on first use and closed at the end (or on
 * Ctrl-C). reset() is the one way to drop a host's connection mid-run (meta:
 * reset_connection, a module's ctx.reconnect() as wait_for_connection uses):
 * the old one is closed, session shell and all, and the next use opens a new one.
 */
import { createConnection, type ConnectionFactory, type ConnectionOptions } from '../connection/factory.js';
import type { Connection } from '../connection/types.js';
import { HostCache } from '../module/host.js';
import { renderValue } from '../template/index.js';
import type { Vars } from './vars.js';
import { describeConnection, tracedConnection } from '../output/trace.js';

// ansible_ssh_host, _port and _user are the older names Ansible still reads (add_host sets ansible_ssh_port from name:port).
const CONNECTION_VARS = /^ansible_(host|port|user|ssh_host|ssh_port|ssh_user|connection|password|ssh_pass|ssh_private_key_file|ssh_common_args|ssh_extra_args|ssh_args|become.*|private_key_file|ssh_host_key_checking|host_key_checking|timeout)$/;

export class ConnectionPool {
  private readonly open = new Map<string, Connection>();
  private readonly caches = new Map<string, HostCache>();

  constructor(
    private readonly options: ConnectionOptions,
    private readonly factory: ConnectionFactory = createConnection,
    private readonly defaults: { remoteUser?: string; connectionType?: string; /** Defaults of connection variables (ansible.cfg, --private-key): a host's own win. */ vars?: Record<string, string>; /** -vvv: told each connection and command (lib/output/trace.ts). */ trace?: (host: string, message: string) => void } = {},
  ) {}

  /** Its connections report each command (-vvv), so tasks run inside a trace scope. */
  get traced(): boolean {
    return this.defaults.trace !== undefined;
  }

  /** The connection for `host`, made from its variables (templated ones rendered). */
  get(host: string, vars: Vars): Connection {
    const existing = this.open.get(host);
    if (existing) return existing;
    const connVars: Vars = { ...this.defaults.vars };
    if (this.defaults.remoteUser) connVars.ansible_user = this.defaults.remoteUser;
    if (this.defaults.connectionType) connVars.ansible_connection = this.defaults.connectionType;
    for (const [k, v] of Object.entries(vars)) if (CONNECTION_VARS.test(k)) connVars[k] = renderValue(v, vars);
    let conn = this.factory(host, connVars, this.options);
    const trace = this.defaults.trace;
    if (trace) conn = tracedConnection(conn, describeConnection(connVars), (m) => trace(host, m));
    this.open.set(host, conn);
    return conn;
  }

  /** What has been read from `host` and is still true (dropped when the host changes). */
  cache(host: string): HostCache {
    let c = this.caches.get(host);
    if (!c) this.caches.set(host, (c = new HostCache()));
    return c;
  }

  /**
   * Closes a host's connection and forgets it, with what was read through it:
   * the next get() makes a new one (meta: reset_connection, ctx.reconnect()).
   */
  async reset(host: string): Promise<void> {
    const c = this.open.get(host);
    this.open.delete(host);
    this.caches.get(host)?.drop();
    await c?.close().catch(() => {});
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.allSettled(all.map((c) => c.close()));
  }
}
