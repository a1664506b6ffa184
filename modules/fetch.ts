import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { defineModule, ModuleError, reads } from '../lib/module/kit.js';

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

/** Ansible's layout: dest/<host>/<src path>, or dest itself (a file, or a folder ending in /) with flat. */
function destOf(a: Args, host: string): string {
  if (a.flat) return a.dest.endsWith('/') ? join(a.dest, basename(a.src)) : a.dest;
  return join(a.dest, host, a.src);
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
      src: { type: 'string', minLength: 1 },
      dest: { type: 'string', minLength: 1 },
      flat: { type: 'boolean', default: false },
      fail_on_missing: { type: 'boolean', default: true },
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
    const dest = destOf(args, host);
    const old = await readFile(dest).catch(() => null);
    const checksum = sha1(f.content);
    const result = { dest, checksum, remote_checksum: checksum, file: args.src };
    if (old && old.equals(f.content)) return { changed: false, result };
    // A controller file: no `path` in the diff, the host is not written.
    return { changed: true, diff: [{ label: `${dest} (controller)`, before: old?.toString('utf8') ?? '', after: f.content.toString('utf8') }], result, state: { dest, content: f.content } };
  },
  async apply(_args, _ctx, plan) {
    const { dest, content } = plan.state!;
    await mkdir(dirname(dest), { recursive: true });
    const tmp = join(dirname(dest), `.${basename(dest)}.tsplay-${process.pid}-${Date.now()}`);
    const fh = await open(tmp, 'w', 0o644);
    try {
      await fh.writeFile(content);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, dest).catch(async (e) => {
      await unlink(tmp).catch(() => undefined);
      throw e;
    });
    return { changed: true, result: plan.result };
  },
});
