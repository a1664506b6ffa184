import { defineModule, fileDiff, ModuleError, reads, shellQuote } from '../lib/module/kit.js';
import { findEntry, mountedPaths, removeEntry, setEntry, type FstabEntry } from '../lib/module/files/fstab.js';

interface Args {
  path?: string;
  name?: string;
  src?: string;
  fstype?: string;
  opts: string;
  dump: string;
  passno: string;
  state: 'mounted' | 'unmounted' | 'present' | 'absent' | 'remounted';
  fstab: string;
  boot: boolean;
  backup: boolean;
}

interface Work {
  fstab?: string;
  /** Shell lines run after the fstab is written, in order. */
  steps: string[];
}

const mountsRead = reads.command('cat /proc/mounts', (r) => mountedPaths(r.stdout));

/** The mount point, without a trailing slash (Ansible's `path`, alias `name`). */
const pathOf = (args: Args) => {
  const p = args.path ?? args.name;
  if (!p) throw new ModuleError('missing required arguments: path');
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
};

export default defineModule<Args, Work>({
  name: 'mount',
  description:
    "Ansible's mount (ansible.posix): a file system's line in fstab (present, absent) and whether it is mounted (mounted, unmounted, remounted). The fstab is edited as Ansible edits it: the entry for the mount point replaced in place or added at the end, every other line kept; `fstab` names another file (a test's, a chroot's).",
  examples: [
    '- mount:\n    path: /var/lib/etcd\n    src: /dev/vg0/etcd\n    fstype: xfs\n    opts: defaults,noatime\n    state: mounted',
    '- mount: { path: /mnt/scratch, src: tmpfs, fstype: tmpfs, opts: size=64m, state: mounted }',
    '- mount: { path: /mnt/old, state: absent }',
  ],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['state'],
    properties: {
      path: { type: 'string', minLength: 1, description: 'The mount point. Alias: name.' },
      name: { type: 'string', minLength: 1, description: 'Alias of path.' },
      src: { type: 'string', minLength: 1, description: 'The device, label (LABEL=...), UUID=... or remote path; required with present and mounted.' },
      fstype: { type: 'string', minLength: 1, description: 'The file system type; required with present and mounted.' },
      opts: { type: 'string', default: 'defaults', description: 'Mount options, comma-separated.' },
      dump: { type: ['string', 'integer'], default: '0', description: "fstab's fifth field: whether dump backs the file system up." },
      passno: { type: ['string', 'integer'], default: '0', description: "fstab's sixth field: fsck's order at boot (0: not checked)." },
      state: { enum: ['mounted', 'unmounted', 'present', 'absent', 'remounted'], description: 'present/absent: the fstab entry only; mounted: the entry, the directory and the mount; unmounted: unmounts, fstab kept; remounted: remounts (always a change).' },
      fstab: { type: 'string', minLength: 1, default: '/etc/fstab', description: 'The fstab file to edit.' },
      boot: { type: 'boolean', default: true, description: 'false adds noauto to opts: not mounted at boot.' },
      backup: { type: 'boolean', default: false, description: 'Keep the old fstab as <fstab>.<pid>.<date>~.' },
    },
  },
  reads: (args) => [reads.file(args.fstab), mountsRead],
  async plan(args, ctx) {
    const path = pathOf(args);
    const file = await ctx.host.read(args.fstab);
    const before = file.exists ? (file.text ?? '') : '';
    const mounted = (await ctx.host.get(mountsRead)).has(path);
    const q = shellQuote(path);
    let after = before;
    const steps: string[] = [];
    if (args.state === 'present' || args.state === 'mounted') {
      if (!args.src) throw new ModuleError(`state is ${args.state} but all of the following are missing: src`);
      if (!args.fstype) throw new ModuleError(`state is ${args.state} but all of the following are missing: fstype`);
      const opts = args.boot ? args.opts : args.opts.split(',').includes('noauto') ? args.opts : args.opts === 'defaults' ? 'noauto' : `${args.opts},noauto`;
      const entry: FstabEntry = { src: args.src, path, fstype: args.fstype, opts, dump: String(args.dump), passno: String(args.passno) };
      after = setEntry(before, entry);
      if (args.state === 'mounted') {
        const stat = await ctx.host.stat(path);
        if (!stat) steps.push(`mkdir -p -- ${q}`);
        // A mounted file system whose entry changed is remounted with the new options, as Ansible does.
        if (!mounted) steps.push(`mount -T ${shellQuote(args.fstab)} -- ${q}`);
        else if (after !== before) steps.push(`mount -T ${shellQuote(args.fstab)} -o remount -- ${q}`);
      }
    } else if (args.state === 'absent') {
      after = removeEntry(before, path);
      if (mounted) steps.unshift(`umount -- ${q}`);
    } else if (args.state === 'unmounted') {
      if (mounted) steps.push(`umount -- ${q}`);
    } else if (args.state === 'remounted') {
      if (!mounted) throw new ModuleError(`${path} is not mounted: remounted needs a mounted file system (state: mounted mounts it)`);
      steps.push(`mount -o remount -- ${q}`);
    }
    const fstabChanged = after !== before;
    const changed = fstabChanged || steps.length > 0;
    const result = { name: path, src: args.src, fstype: args.fstype, opts: args.opts, dump: String(args.dump), passno: String(args.passno), fstab: args.fstab, boot: args.boot };
    return {
      changed,
      result,
      diff: fstabChanged ? [fileDiff(args.fstab, before, after)] : undefined,
      msg: [fstabChanged ? `${args.fstab}: the entry for ${path} ${ctx.check ? 'would be ' : ''}${args.state === 'absent' ? 'removed' : 'set'}` : '', ...steps].filter(Boolean).join('; ') || undefined,
      state: { fstab: fstabChanged ? after : undefined, steps },
    };
  },
  async apply(args, ctx, plan) {
    const work = plan.state!;
    const result: Record<string, unknown> = { ...plan.result };
    // Unmount before the entry goes (absent); mount after it is written (mounted reads the new entry).
    const first = work.steps.filter((s) => s.startsWith('umount'));
    const later = work.steps.filter((s) => !s.startsWith('umount'));
    for (const s of first) await run(ctx.host, s);
    if (work.fstab !== undefined) {
      const w = await ctx.host.write(args.fstab, work.fstab, { backup: args.backup });
      if (w.backup) result.backup_file = w.backup;
    }
    for (const s of later) await run(ctx.host, s);
    return { changed: true, result };
  },
});

async function run(host: { run: (c: string, o: { allowFailure: true }) => Promise<{ rc: number; stdout: string; stderr: string }> }, cmd: string): Promise<void> {
  const r = await host.run(cmd, { allowFailure: true });
  if (r.rc !== 0) throw new ModuleError(`Error ${cmd.startsWith('umount') ? 'unmounting' : 'mounting'} (${cmd}): ${(r.stderr || r.stdout).trim()}`, { result: { rc: r.rc } });
}
