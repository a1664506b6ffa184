import { defineModule, reads } from '../lib/module/kit.js';
import { parseStat, statScript, type StatOptions } from '../lib/module/files/stat-result.js';

interface Args {
  path: string;
  get_checksum: boolean;
  checksum_algorithm: NonNullable<StatOptions['checksum']>;
  get_mime: boolean;
  get_attributes: boolean;
  follow: boolean;
}

export default defineModule<Args>({
  name: 'stat',
  description:
    "Ansible's stat: whether a path exists and what it is (`stat.exists`, `isdir`, `isreg`, `islnk`, `mode`, `uid`, `gid`, `pw_name`, `gr_name`, `size`, `inode`, `dev`, `nlink`, `atime`, `mtime`, `ctime`, the permission bits `rusr`…`xoth`, `readable`/`writeable`/`executable`, `lnk_source`/`lnk_target`, `checksum`, `mimetype`/`charset`, `attributes`). Changes nothing.",
  examples: ['- stat:\n    path: /etc/origin/master/ca.serial.txt\n  register: serial\n- debug: msg="this master holds the CA"\n  when: serial.stat.exists'],
  checkMode: 'always',
  aliases: { dest: 'path', name: 'path' },
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: { type: 'string', minLength: 1, description: 'The path on the host.' },
      get_checksum: { type: 'boolean', default: true, description: "A regular file's checksum (`checksum`), with checksum_algorithm." },
      checksum_algorithm: { enum: ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'], default: 'sha1', description: 'The checksum: sha1 (the default) or another hash.' },
      get_mime: { type: 'boolean', default: true, description: '`mimetype` and `charset` from the host\'s `file` command (`unknown` without it).' },
      get_attributes: { type: 'boolean', default: true, description: "`attributes`, `attr_flags` and `version` from the host's `lsattr`." },
      follow: { type: 'boolean', default: false, description: 'Report what a final symlink points to.' },
    },
  },
  async plan(args, ctx) {
    const o: StatOptions = { follow: args.follow, checksum: args.get_checksum ? args.checksum_algorithm : undefined, mime: args.get_mime, attributes: args.get_attributes };
    const stat = await ctx.host.get(reads.command(statScript(args.path, o), (r) => parseStat(r.stdout, args.path, o)));
    return { changed: false, result: { stat } };
  },
});
