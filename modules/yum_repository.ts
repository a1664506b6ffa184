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
  async: { ...bool, description: "yum's `async`: download from this repository in parallel." },
  bandwidth: { ...str, description: 'Maximum download bandwidth for it (`0` for no limit; a size such as `1M`).' },
  baseurl: { ...list, description: 'URLs of the repository (a list: one per line).' },
  cost: { ...str, description: 'Its cost relative to other repositories (default 1000: lower is preferred).' },
  enabled: { ...bool, description: 'Whether yum uses it.' },
  enablegroups: { ...bool, description: 'Whether its package groups may be used.' },
  exclude: { ...list, description: 'Packages never to take from it (a list is joined with spaces).' },
  failovermethod: { enum: ['roundrobin', 'priority'], description: "How yum goes through `baseurl`'s URLs: in order (`priority`) or at random (`roundrobin`)." },
  gpgcakey: { ...str, description: 'A URL of the CA key for its GPG keys.' },
  gpgcheck: { ...bool, description: 'Whether yum checks the GPG signature of its packages.' },
  gpgkey: { ...list, description: 'URLs of the keys (a list: one per line).' },
  module_hotfixes: { ...bool, description: 'Whether its packages bypass modular filtering (dnf).' },
  http_caching: { enum: ['all', 'packages', 'none'], description: 'What proxies may cache: `all`, `packages` or `none`.' },
  include: { ...str, description: "A URL of more configuration to include (yum's `include`)." },
  includepkgs: { ...list, description: 'The only packages to take from it (a list is joined with spaces).' },
  ip_resolve: { enum: ['4', '6', 'IPv4', 'IPv6', 'whatever'], description: 'Resolve host names to IPv4 or IPv6 addresses only.' },
  keepalive: { ...bool, description: 'Whether HTTP keep-alive is used.' },
  keepcache: { enum: ['0', '1'], description: 'Whether downloaded packages stay in the cache (`0` or `1`).' },
  metadata_expire: { ...str, description: 'How long its metadata is fresh (seconds, or with d/h/m; `never`).' },
  metalink: { ...str, description: 'A URL of a metalink file listing its mirrors.' },
  mirrorlist: { ...str, description: 'A URL of a file listing its mirrors.' },
  mirrorlist_expire: { ...str, description: 'How long the mirror list is fresh (seconds, or with d/h/m).' },
  password: { ...str, description: 'Password for basic HTTP authentication (kept out of the output as a secret).' },
  priority: { ...str, description: 'Its priority, 1 (first) to 99 (yum-plugin-priorities).' },
  protect: { ...bool, description: 'Whether its packages are protected from updates by other repositories.' },
  proxy: { ...str, description: 'A proxy URL for it (`_none_` for none).' },
  proxy_password: { ...str, description: 'Password for the proxy.' },
  proxy_username: { ...str, description: 'User name for the proxy.' },
  repo_gpgcheck: { ...bool, description: 'Whether yum checks the GPG signature of its metadata.' },
  retries: { ...str, description: 'How many times a download is tried (`0`: without end).' },
  skip_if_unavailable: { ...bool, description: 'Whether yum goes on when the repository cannot be reached.' },
  sslcacert: { ...str, description: 'Path on the host of the CA certificates to check the server with.' },
  sslclientcert: { ...str, description: 'Path on the host of the client certificate.' },
  sslclientkey: { ...str, description: "Path on the host of the client certificate's key." },
  sslverify: { ...bool, description: "Whether the server's certificate is checked." },
  throttle: { ...str, description: 'Bandwidth limit as a rate or a percentage of `bandwidth`.' },
  timeout: { ...str, description: 'Seconds before a stalled connection is given up.' },
  username: { ...str, description: 'User name for basic HTTP authentication.' },
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
      state: { enum: ['present', 'absent'], default: 'present', description: 'present: the section is written as given; absent: it is removed (and the file with its last section).' },
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
