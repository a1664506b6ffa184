import { defineModule, fileDiff, ModuleError, reads } from '../lib/module/kit.js';
import { dumpIni, parseIni, writeIni } from '../lib/module/files/repo-ini.js';

type Value = string | boolean | string[] | undefined;
type Args = Record<string, Value> & { name: string; state: 'present' | 'absent'; reposdir: string; file?: string; description?: string };

interface Work {
  path: string;
  /** The new file, or null to remove it (its last repository gone). */
  content: string | null;
}

const str = { type: 'string' } as const;
const bool = { type: 'boolean' } as const;
const list = { type: ['string', 'array'], items: { type: 'string' } } as const;

/** The repository options tsplay writes, with Ansible's types; each becomes `key = value` in the section. */
const OPTIONS: Record<string, object> = {
  async: bool,
  bandwidth: str,
  baseurl: { ...list, description: 'URLs of the repository (a list: one per line).' },
  cost: str,
  enabled: bool,
  enablegroups: bool,
  exclude: { ...list, description: 'Packages never to take from it (a list is joined with spaces).' },
  failovermethod: { enum: ['roundrobin', 'priority'] },
  gpgcakey: str,
  gpgcheck: bool,
  gpgkey: { ...list, description: 'URLs of the keys (a list: one per line).' },
  module_hotfixes: bool,
  http_caching: { enum: ['all', 'packages', 'none'] },
  include: str,
  includepkgs: list,
  ip_resolve: { enum: ['4', '6', 'IPv4', 'IPv6', 'whatever'] },
  keepalive: bool,
  keepcache: { enum: ['0', '1'] },
  metadata_expire: str,
  metalink: str,
  mirrorlist: str,
  mirrorlist_expire: str,
  password: str,
  priority: str,
  protect: bool,
  proxy: str,
  proxy_password: str,
  proxy_username: str,
  repo_gpgcheck: bool,
  retries: str,
  skip_if_unavailable: bool,
  sslcacert: str,
  sslclientcert: str,
  sslclientkey: str,
  sslverify: bool,
  throttle: str,
  timeout: str,
  username: str,
};
const LIST_LINES = ['baseurl', 'gpgkey'];
const LIST_SPACES = ['exclude', 'includepkgs'];

const pathOf = (args: Args) => `${args.reposdir.replace(/\/+$/, '')}/${args.file ?? args.name}.repo`;

export default defineModule<Args, Work>({
  name: 'yum_repository',
  description:
    "Ansible's yum_repository: a repository's section in a .repo file under /etc/yum.repos.d (reposdir), added or replaced (present) or removed (absent; the file goes with its last repository). The file is written as Ansible's configparser writes it; the diff shows it as Ansible does (sections and keys sorted).",
  examples: ['- yum_repository:\n    name: epel\n    description: EPEL YUM repo\n    baseurl: https://download.fedoraproject.org/pub/epel/$releasever/$basearch/\n    gpgcheck: true\n    gpgkey: https://download.fedoraproject.org/pub/epel/RPM-GPG-KEY-EPEL-7'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 1, pattern: '^[^\\[\\]\\n]+$', description: 'The repository id (the section name).' },
      description: { type: 'string', description: "Its human name (`name =` in the file); required with state: present." },
      file: { type: 'string', minLength: 1, pattern: '^[^/\\n]+$', description: 'The file name without .repo (default: the repository id).' },
      reposdir: { type: 'string', minLength: 1, default: '/etc/yum.repos.d', description: 'The directory of .repo files; it must exist.' },
      state: { enum: ['present', 'absent'], default: 'present' },
      ...OPTIONS,
    },
  },
  reads: (args) => [reads.file(pathOf(args)), reads.stat(args.reposdir)],
  async plan(args, ctx) {
    if (args.state === 'present') {
      if (args.baseurl === undefined && args.metalink === undefined && args.mirrorlist === undefined) throw new ModuleError("Parameter 'baseurl', 'metalink' or 'mirrorlist' is required.");
      if (args.description === undefined) throw new ModuleError("Parameter 'description' is required.");
    }
    const dir = await ctx.host.stat(args.reposdir);
    if (!dir?.isDirectory) throw new ModuleError(`Repo directory '${args.reposdir}' does not exist.`);
    const path = pathOf(args);
    const file = await ctx.host.read(path);
    const ini = parseIni(file.exists ? (file.text ?? '') : '');
    const before = dumpIni(ini);
    ini.delete(args.name);
    if (args.state === 'present') {
      const keys = new Map<string, string>();
      const values: Record<string, Value> = { ...args, name: args.description };
      for (const key of Object.keys(values).sort()) {
        if (!(key in OPTIONS) && key !== 'name') continue;
        let v = values[key];
        if (v === undefined) continue;
        if (Array.isArray(v)) v = v.join(LIST_LINES.includes(key) ? '\n' : ' ');
        else if (typeof v === 'boolean') v = v ? '1' : '0';
        else if (LIST_SPACES.includes(key)) v = v.split(',').map((s) => s.trim()).join(' ');
        else if (LIST_LINES.includes(key)) v = v.split(',').map((s) => s.trim()).join('\n');
        keys.set(key, v);
      }
      ini.set(args.name, keys);
    }
    const after = dumpIni(ini);
    const result = { repo: args.name, state: args.state };
    if (before === after) return { changed: false, result };
    const content = ini.size ? writeIni(ini) : null;
    return { changed: true, result, diff: [fileDiff(path, file.exists ? (file.text ?? '') : '', content ?? '')], state: { path, content }, msg: `${path} ${ctx.check ? 'would be ' : ''}${content === null ? 'removed' : 'written'}` };
  },
  async apply(_args, ctx, plan) {
    const { path, content } = plan.state!;
    if (content === null) await ctx.host.remove(path);
    else await ctx.host.write(path, content);
    return { changed: true, result: plan.result };
  },
});
