/**
 * etcd_snapshot: a verified etcd backup on the host. `etcdctl snapshot save`
 * through the first endpoint that can serve one; when none can, a copy of
 * the data directory's `member/snap/db`, as the 3.11 documents allow. An
 * existing snapshot is kept (the first backup before a restore is the one
 * that matters) unless force: true.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, posix } from 'node:path';
import { existsSync } from 'node:fs';
import { defineModule, ModuleError, reads, shellJoin, type HostView } from '../lib/module/kit.js';
import { etcdConnProperties, etcdctlCommand, type EtcdConn, type EtcdConnArgs } from '../lib/etcd/etcdctl.js';
import { connFor } from '../lib/etcd/module-support.js';
import { etcdctlError, parseSnapshotStatus, type SnapshotStatus } from '../lib/etcd/parse.js';
import { writeControllerFile } from '../lib/module/files/controller-write.js';

interface Args extends EtcdConnArgs {
  path: string;
  data_dir: string;
  force: boolean;
  copy_fallback: boolean;
  fetch?: string;
}

interface State {
  conn: EtcdConn;
  /** Take a new snapshot (false: only fetch the existing one). */
  take: boolean;
}

/** `snapshot status` of a file on the host: hash, revision, keys, size. */
async function verify(host: HostView, conn: EtcdConn, path: string): Promise<SnapshotStatus> {
  const r = await host.run(etcdctlCommand(conn, ['snapshot', 'status', path, '-w', 'json']), { allowFailure: true });
  if (r.rc !== 0) throw new ModuleError(`the snapshot ${path} does not verify: ${etcdctlError(r.stderr, r.stdout)}`);
  return parseSnapshotStatus(r.stdout);
}

/** Copies the snapshot to the controller, atomically (an O_EXCL temp file, fsync, rename). */
async function fetchTo(host: HostView, path: string, dest: string): Promise<void> {
  const file = await host.read(path);
  if (!file.content) throw new ModuleError(`cannot fetch ${path}: not a readable file`);
  await mkdir(dirname(dest), { recursive: true });
  // A random O_EXCL temp name: nothing planted beside dest is opened.
  await writeControllerFile(dest, file.content);
}

export default defineModule<Args, State>({
  name: 'etcd_snapshot',
  description:
    'Saves an etcd snapshot on the host (`etcdctl snapshot save`, or a copy of member/snap/db when no member can serve one), ' +
    'verifies it with `snapshot status` and returns hash, revision, keys and size; optionally fetches it to the controller. ' +
    'An existing snapshot at the path is kept unless force: true.',
  examples: [
    '- name: Back up etcd data before the restore\n  etcd_snapshot:\n    path: /var/lib/etcd/snapshot.db\n  register: snap',
    '- etcd_snapshot:\n    path: /var/lib/etcd/backup-{{ ansible_date_time.date }}.db\n    fetch: backups/{{ inventory_hostname }}-etcd.db',
  ],
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      path: { type: 'string', default: '/var/lib/etcd/snapshot.db', description: 'Snapshot file on the host (3.11 static pods need it under /var/lib/etcd/).' },
      data_dir: { type: 'string', default: '/var/lib/etcd', description: 'etcd data directory, for the member/snap/db copy.' },
      force: { type: 'boolean', default: false, description: 'Replace a snapshot already at path.' },
      copy_fallback: { type: 'boolean', default: true, description: 'Copy member/snap/db when no endpoint can serve a snapshot.' },
      fetch: { type: 'string', description: 'Also copy the snapshot to this path on the controller.' },
      ...etcdConnProperties,
    },
  },
  reads: (args) => [reads.stat(args.path)],
  async plan(args, ctx) {
    const conn = await connFor(args, ctx);
    const existing = await ctx.host.stat(args.path);
    if (existing && !args.force) {
      const status = await verify(ctx.host, conn, args.path);
      const fetchNeeded = !!args.fetch && !existsSync(args.fetch);
      return {
        changed: fetchNeeded,
        msg: `kept the snapshot at ${args.path} (revision ${status.revision}, ${status.total_keys} keys)${fetchNeeded ? `; fetch to ${args.fetch}` : ''}`,
        result: { path: args.path, method: 'existing', ...status, ...(args.fetch ? { fetched: args.fetch } : {}) },
        state: { conn, take: false },
      };
    }
    return {
      changed: true,
      msg: `${ctx.check ? 'would save' : 'save'} a snapshot to ${args.path}${existing ? ' (replacing the one there)' : ''}`,
      result: { path: args.path },
      state: { conn, take: true },
    };
  },
  async apply(args, ctx, plan) {
    const { conn, take } = plan.state!;
    const host = ctx.host;
    let method = 'existing';
    let endpoint: string | undefined;
    const errors: string[] = [];
    if (take) {
      await host.run(shellJoin(['mkdir', '-p', posix.dirname(args.path)]));
      // A snapshot is served by one member: ask each endpoint in turn.
      for (const ep of conn.endpoints) {
        const r = await host.run(etcdctlCommand(conn, ['snapshot', 'save', args.path], { endpoints: [ep] }), { allowFailure: true });
        if (r.rc === 0) {
          method = 'save';
          endpoint = ep;
          break;
        }
        errors.push(`${ep}: ${etcdctlError(r.stderr, r.stdout)}`);
      }
      if (method !== 'save') {
        if (!args.copy_fallback) throw new ModuleError(`no endpoint could serve a snapshot (${errors.join('; ')})`);
        const db = posix.join(args.data_dir, 'member/snap/db');
        const tmp = `${args.path}.tsplay-copy`;
        const r = await host.run(`cp -- ${shellJoin([db, tmp])} && sync -- ${shellJoin([tmp])} && mv -f -- ${shellJoin([tmp, args.path])}`, { allowFailure: true });
        if (r.rc !== 0) throw new ModuleError(`no endpoint could serve a snapshot (${errors.join('; ')}), and copying ${db} failed: ${(r.stderr || r.stdout).trim()}`);
        method = 'copy';
        ctx.log(`no endpoint could serve a snapshot (${errors.join('; ')}); copied ${db}`);
      }
    }
    const status = await verify(host, conn, args.path);
    if (args.fetch) await fetchTo(host, args.path, args.fetch);
    return {
      changed: true,
      msg: take ? `saved a snapshot to ${args.path} by ${method} (revision ${status.revision}, ${status.total_keys} keys)` : `fetched ${args.path} to ${args.fetch}`,
      result: {
        path: args.path,
        method,
        ...(endpoint ? { endpoint } : {}),
        // A copied db carries no snapshot hash: `snapshot restore` needs --skip-hash-check for it.
        ...(method === 'copy' ? { restore_needs_skip_hash_check: true, save_errors: errors } : {}),
        ...status,
        ...(args.fetch ? { fetched: args.fetch } : {}),
      },
    };
  },
});
