import { createHash } from 'node:crypto';
import { lstat, mkdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { defineModule, ModuleError, reads } from '../lib/module/kit.js';
import { writeControllerFile } from '../lib/module/files/controller-write.js';

interface Args {
  src: string;
  dest: string;
  flat: boolean;
  fail_on_missing: boolean;
}

interface State {
  dest: string;
  content: Buffer;
}

const sha1 = (b: Buffer) => createHash('sha1').update(b).digest('hex');

/** The path's components that would leave the folder they are joined under ('..'), or stand for it ('.', ''). */
const unsafeParts = (p: string) => p.split('/').filter((c) => c === '..' || c === '.');

/**
 * Ansible's layout: dest/<host>/<src path>, or dest itself (a file, or a
 * folder ending in /) with flat. Unlike Ansible 2.14, whose normpath lets a
 * `..` in src or in the host's name climb out of dest, the path is proven to
 * be inside dest: a `..` or `.` component in either is an error, and the
 * joined path must still start with dest.
 */
export function fetchDest(a: Pick<Args, 'src' | 'dest' | 'flat'>, host: string): string {
  if (a.src.includes('\0') || host.includes('\0')) throw new ModuleError('fetch: a NUL byte in src or in the host name');
  if (unsafeParts(a.src).length) {
    throw new ModuleError(`fetch: src '${a.src}' has a '${unsafeParts(a.src)[0]}' component, which could put the file outside dest '${a.dest}': give the file's path without '.' or '..'`);
  }
  if (a.flat) {
    if (!a.dest.endsWith('/')) return a.dest;
    const name = basename(a.src);
    return inside(a.dest, join(a.dest, name), a, host);
  }
  if (host === '' || host.split('/').some((c) => c === '..' || c === '.' || c === '')) {
    throw new ModuleError(`fetch: the host name '${host}' is not a plain name ('.', '..' or empty parts), so dest/<host>/ could be outside dest '${a.dest}': rename the host in the inventory, or use flat with a dest of your own`);
  }
  return inside(join(a.dest, host), join(a.dest, host, a.src), a, host);
}

/** The final check: whatever the parts were, the file is strictly inside `root`. */
function inside(root: string, path: string, a: Pick<Args, 'src' | 'dest'>, host: string): string {
  const r = resolve(root);
  const p = resolve(path);
  if (!p.startsWith(r.endsWith(sep) ? r : r + sep)) throw new ModuleError(`fetch: src '${a.src}' of host '${host}' would be written to ${p}, outside ${r}`);
  return path;
}

export default defineModule<Args, State>({
  name: 'fetch',
  description: "Ansible's fetch: copies a file from the host to the controller, under dest/<inventory_hostname>/<src path> (or to dest itself with flat), written atomically; idempotent by checksum.",
  examples: ['- fetch:\n    src: /etc/etcd/etcd.conf\n    dest: backups/', '- fetch:\n    src: /etc/origin/master/ca.serial.txt\n    dest: /tmp/ca.serial.txt\n    flat: true'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['src', 'dest'],
    properties: {
      src: { type: 'string', minLength: 1, description: 'The file on the host.' },
      dest: { type: 'string', minLength: 1, description: 'A folder on the controller; the file lands at dest/<host>/<src> (or dest itself with flat).' },
      flat: { type: 'boolean', default: false, description: 'Put the file at dest (or dest/<basename> when dest ends with /) without the host and path.' },
      fail_on_missing: { type: 'boolean', default: true, description: 'A missing src fails the task (false: the task is ok and says so).' },
    },
  },
  reads: (args) => [reads.file(args.src)],
  async plan(args, ctx) {
    const f = await ctx.host.read(args.src);
    if (!f.exists || f.content === null) {
      const why = f.exists ? 'remote file is a directory, fetch cannot work on directories' : 'the remote file does not exist, not transferring, ignored';
      if (args.fail_on_missing || f.exists) throw new ModuleError(f.exists ? why : `the remote file does not exist: ${args.src}`);
      return { changed: false, result: { msg: why, file: args.src } };
    }
    const host = String(ctx.vars.inventory_hostname ?? ctx.host.name);
    const dest = fetchDest(args, host);
    // Only a regular file is compared (and so kept when it matches): a symlink at dest is replaced
    // by the file rather than written through, and a FIFO is never opened.
    const st = await lstat(dest).catch(() => null);
    const old = st?.isFile() ? await readFile(dest).catch(() => null) : null;
    const checksum = sha1(f.content);
    const result = { dest, checksum, remote_checksum: checksum, file: args.src };
    if (old && old.equals(f.content)) return { changed: false, result };
    // A controller file: no `path` in the diff, the host is not written.
    return { changed: true, diff: [{ label: `${dest} (controller)`, before: old?.toString('utf8') ?? '', after: f.content.toString('utf8') }], result, state: { dest, content: f.content } };
  },
  async apply(_args, _ctx, plan) {
    const { dest, content } = plan.state!;
    await mkdir(dirname(dest), { recursive: true });
    await writeControllerFile(dest, content);
    return { changed: true, result: plan.result };
  },
});
