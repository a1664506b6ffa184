import { defineModule, ModuleError, reads, shellQuote } from '../lib/module/kit.js';

interface Args {
  paths: string[];
  dest: string;
  archive: boolean;
  keep_dir: boolean;
}

interface State {
  dest: string;
  copy: string[];
  archive?: string;
}

/**
 * One read-only script: expands `dest` with the host's `date` (so
 * /backup/etcd-config-%Y%m%d names the host's day), expands the paths' globs,
 * and says for each path whether the copy under dest already matches it.
 */
function probe(args: Args): string {
  const lines = [
    `d=$(date +${shellQuote(args.dest)})`,
    'echo "dest $d"',
    `[ -e "$d.tar.gz" ] && echo "archive $d.tar.gz"`,
  ];
  for (const p of args.paths) {
    // Globs are expanded by the host's shell, as in the documents' `cp /etc/cni/* ...`; one that matches nothing is reported.
    const glob = /[*?[]/.test(p) ? p.replace(/[^*?[\]/A-Za-z0-9._-]/g, '\\$&') : shellQuote(p);
    lines.push(
      `for s in ${glob}; do`,
      '  if [ ! -e "$s" ] && [ ! -L "$s" ]; then echo "missing $s"; continue; fi',
      '  if [ -e "$d$s" ] && diff -rq --no-dereference -- "$s" "$d$s" >/dev/null 2>&1; then echo "same $s"; else echo "copy $s"; fi',
      'done',
    );
  }
  return lines.join('\n');
}

export default defineModule<Args, State>({
  name: 'backup',
  description:
    "Copies paths on the host into a dated directory as the documents do (`/backup/etcd-config-%Y%m%d`, `/backup/<host>/%Y%m%d`): each path is kept under dest with its full path (`cp -a`: owners, modes, times), optionally packed into `<dest>.tar.gz`. The date parts are the host's `date` format. A second run the same day changes nothing when the contents are the same; a path whose copy differs is copied again.",
  examples: [
    "- name: Back up etcd's configuration (38.1.1)\n  backup:\n    paths: [/etc/etcd]\n    dest: /backup/etcd-config-%Y%m%d",
    "- name: Back up the master (5.2.1.1)\n  backup:\n    paths: [/etc/origin, /etc/sysconfig, /etc/cni, /etc/dnsmasq.conf, /etc/dnsmasq.d, /etc/pki/ca-trust/source/anchors]\n    dest: \"/backup/{{ inventory_hostname }}/%Y%m%d\"\n    archive: true",
  ],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['paths', 'dest'],
    properties: {
      paths: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^/' }, description: 'Absolute paths (files, directories, globs) on the host.' },
      dest: { type: 'string', pattern: '^/', description: 'The backup directory; %Y, %m, %d (any `date` format) are the host\'s date.' },
      archive: { type: 'boolean', default: false, description: 'Also pack dest into <dest>.tar.gz (rebuilt only when something was copied or it is missing).' },
      keep_dir: { type: 'boolean', default: true, description: 'With archive: false removes the directory once packed, as the documents do.' },
    },
  },
  async plan(args, ctx) {
    if (!args.archive && !args.keep_dir) throw new ModuleError('keep_dir: false needs archive: true (the backup would be deleted)');
    const r = await ctx.host.get(reads.command(probe(args)));
    if (r.rc !== 0 && !r.stdout.includes('dest ')) throw new ModuleError(`cannot look at the paths: ${r.stderr.trim()}`);
    const lines = r.stdout.split('\n').filter(Boolean);
    const dest = lines.find((l) => l.startsWith('dest '))!.slice(5);
    const archiveExists = lines.some((l) => l.startsWith('archive '));
    const copy = lines.filter((l) => l.startsWith('copy ')).map((l) => l.slice(5));
    const same = lines.filter((l) => l.startsWith('same ')).map((l) => l.slice(5));
    const missing = lines.filter((l) => l.startsWith('missing ')).map((l) => l.slice(8));
    for (const m of missing) ctx.warn(`backup: ${m} does not exist, nothing saved for it`);
    if (!copy.length && !same.length) throw new ModuleError(`none of ${args.paths.join(', ')} exists`);
    const archive = args.archive ? `${dest}.tar.gz` : undefined;
    // Without the directory (keep_dir: false) the day's archive is the backup: it is not made twice.
    if (!args.keep_dir && archiveExists) return { changed: false, result: { dest, saved: [...same, ...copy].sort(), copied: [], missing, archive } };
    const needArchive = args.archive && (copy.length > 0 || !archiveExists);
    const changed = copy.length > 0 || needArchive;
    return {
      changed,
      ...(changed ? { diff: [{ label: dest, before: same.map((s) => `${s}\n`).join(''), after: [...same, ...copy].sort().map((s) => `${s}\n`).join('') + (needArchive ? `-> ${archive}\n` : '') }] } : {}),
      result: { dest, saved: [...same, ...copy].sort(), copied: copy, missing, ...(archive ? { archive } : {}) },
      state: { dest, copy, ...(needArchive ? { archive } : {}) },
    };
  },
  async apply(args, ctx, plan) {
    const { dest, copy, archive } = plan.state!;
    const q = shellQuote;
    const script = ['set -e', `mkdir -p -- ${q(dest)}`];
    // A stale copy goes first, so files deleted since are not kept as if current.
    for (const s of copy) {
      const parent = dest + s.slice(0, s.lastIndexOf('/'));
      script.push(`rm -rf -- ${q(dest + s)}`, `mkdir -p -- ${q(parent)}`, `cp -a -- ${q(s)} ${q(parent + '/')}`);
    }
    if (archive) {
      // The archive is packed under a name mktemp makes (O_EXCL, random: nothing planted beside it is
      // opened), given the mode the umask gives, then renamed over the old one (-T: the name itself).
      script.push(
        `t=$(mktemp -- ${q(archive)}.XXXXXXXXXX)`,
        `trap 'rm -f -- "$t"' EXIT`,
        `chmod "$(printf '%o' $((0666 & ~0$(umask))))" -- "$t"`,
        `tar -C ${q(dest)} -czf "$t" .`,
        `mv -f -T -- "$t" ${q(archive)}`,
        'trap - EXIT',
      );
    }
    if (archive && !args.keep_dir) script.push(`rm -rf -- ${q(dest)}`);
    const r = await ctx.host.run(script.join('\n'), { allowFailure: true });
    if (r.rc !== 0) throw new ModuleError(`backup into ${dest} failed: ${(r.stderr || r.stdout).trim()}`);
    return { changed: true, result: plan.result };
  },
});
