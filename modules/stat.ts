import { defineModule, reads } from '../lib/module/kit.js';
import { octal } from '../lib/module/files/put-file.js';

interface Args {
  path: string;
  get_checksum: boolean;
  checksum_algorithm: 'sha1' | 'sha256' | 'md5';
  follow: boolean;
}

export default defineModule<Args>({
  name: 'stat',
  description: "Ansible's stat: whether a path exists and what it is (`stat.exists`, `isdir`, `isreg`, `islnk`, `mode`, `uid`, `gid`, `size`, `mtime`, `checksum`). Changes nothing.",
  examples: ['- stat:\n    path: /etc/origin/master/ca.serial.txt\n  register: serial\n- debug: msg="this master holds the CA"\n  when: serial.stat.exists'],
  checkMode: 'always',
  aliases: { dest: 'path', name: 'path' },
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: { type: 'string', minLength: 1 },
      get_checksum: { type: 'boolean', default: true },
      checksum_algorithm: { enum: ['sha1', 'sha256', 'md5'], default: 'sha1' },
      follow: { type: 'boolean', default: false, description: 'Report what a final symlink points to.' },
    },
  },
  reads: (args) => [reads.stat(args.path)],
  async plan(args, ctx) {
    const q = `'${args.path.replace(/'/g, "'\\''")}'`;
    let st = await ctx.host.stat(args.path);
    if (!st) return { changed: false, result: { stat: { exists: false } } };
    const islnk = st.isSymlink;
    if (args.follow && islnk) {
      const f = await ctx.host.read(args.path);
      if (f.exists) st = f.stat;
    }
    const stat: Record<string, unknown> = {
      exists: true,
      path: args.path,
      isdir: st.isDirectory,
      isreg: st.isFile,
      islnk: args.follow ? false : islnk,
      mode: octal(st.mode & 0o7777),
      uid: st.uid,
      gid: st.gid,
      size: st.size,
      mtime: st.mtimeMs / 1000,
    };
    if (islnk && !args.follow) stat.lnk_source = (await ctx.host.get(reads.command(`readlink -f -- ${q}`))).stdout.trim();
    if (args.get_checksum && st.isFile) {
      const r = await ctx.host.get(reads.command(`${args.checksum_algorithm}sum < ${q}`));
      if (r.rc === 0) stat.checksum = r.stdout.slice(0, args.checksum_algorithm === 'md5' ? 32 : args.checksum_algorithm === 'sha1' ? 40 : 64);
    }
    return { changed: false, result: { stat } };
  },
});
