import { defineModule, fileDiff, FileError, ModuleError, reads, shellQuote, type ModuleContext } from '../lib/module/kit.js';
import { effectiveExecStart, execStartDropIn, renderUnit, UNIT_DIRS, type UnitSource } from '../lib/module/files/formats.js';
import { putReads, replacesNonFile } from '../lib/module/files/put-file.js';

interface Args {
  unit: string;
  name: string;
  content?: string;
  sections?: Record<string, Record<string, string | number | boolean | (string | number | boolean)[]>>;
  exec_start_append?: string;
  unit_file?: string;
  state: 'present' | 'absent';
  daemon_reload: boolean;
  dir: string;
}

interface State {
  path: string;
  after: string | null;
  execStart?: string;
}

const unitName = (u: string) => (/\.[a-z]+$/.test(u) ? u : `${u}.service`);
const dropinPath = (a: Args) => `${a.dir.replace(/\/+$/, '')}/${unitName(a.unit)}.d/${a.name}`;

/** `[Section]` blocks from a mapping; a list value writes the key once per item (`ExecStart=` then the command). */
function renderSections(path: string, sections: NonNullable<Args['sections']>): string {
  try {
    return renderUnit(sections);
  } catch (e) {
    throw new ModuleError(`${path}: sections: ${(e as Error).message}`);
  }
}

/**
 * The unit file systemd uses and its drop-ins, in the order systemd reads
 * them, without the drop-in this task writes (so a second run computes the
 * same text from the same sources).
 */
async function unitSources(args: Args, ctx: ModuleContext, own: string): Promise<{ unit: UnitSource; dropIns: UnitSource[] }> {
  const read = async (p: string) => {
    const f = await ctx.host.read(p);
    if (!f.exists || f.text === null) throw new ModuleError(`cannot read the unit file ${p}: it does not exist`);
    return { path: p, text: f.text };
  };
  if (args.unit_file) return { unit: await read(args.unit_file), dropIns: [] };
  const unit = unitName(args.unit);
  const show = await ctx.host.get(reads.command(`systemctl show --no-pager -p FragmentPath -p DropInPaths -- ${shellQuote(unit)}`));
  const props = Object.fromEntries(show.stdout.split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  if (show.rc === 0 && props.FragmentPath) {
    const dropIns = (props.DropInPaths ?? '').split(/\s+/).filter((p) => p && p !== own);
    const files = await ctx.host.getAll([reads.file(props.FragmentPath), ...dropIns.map((p) => reads.file(p))] as const);
    const [u, ...d] = files as { path: string; exists: boolean; text: string | null }[];
    if (!u!.exists || u!.text === null) throw new ModuleError(`systemd says ${unit} comes from ${props.FragmentPath}, which cannot be read`);
    return { unit: { path: u!.path, text: u!.text }, dropIns: d.filter((f) => f.exists && f.text !== null).map((f) => ({ path: f.path, text: f.text! })) };
  }
  // No systemd to ask (a chroot, a container without a bus): the first unit file found.
  const found = (await ctx.host.getAll(UNIT_DIRS.map((d) => reads.file(`${d}/${unit}`)))) as { path: string; exists: boolean; text: string | null }[];
  const hit = found.find((f) => f.exists && f.text !== null);
  if (!hit) throw new ModuleError(`no unit file for ${unit} (systemctl show: ${(show.stderr || show.stdout).trim() || 'no FragmentPath'}; looked in ${UNIT_DIRS.join(', ')})`);
  return { unit: { path: hit.path, text: hit.text! }, dropIns: [] };
}

export default defineModule<Args, State>({
  name: 'systemd_dropin',
  description:
    "Writes or removes a systemd drop-in (`/etc/systemd/system/<unit>.d/<name>`) and runs `systemctl daemon-reload` when it changed. With `exec_start_append` it reads the ExecStart= systemd actually uses (the unit file and its other drop-ins) and writes `[Service]`, an empty `ExecStart=` and that command with the flag appended where the documents' sed puts it: before a closing double quote when the line ends in one.",
  examples: [
    '- name: Force a new cluster on the next start\n  systemd_dropin:\n    unit: etcd\n    name: temp.conf\n    exec_start_append: --force-new-cluster',
    '- systemd_dropin:\n    unit: etcd\n    name: temp.conf\n    state: absent',
    '- systemd_dropin:\n    unit: flanneld\n    name: 10-limits.conf\n    sections:\n      Service:\n        LimitNOFILE: 65536',
  ],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['unit', 'name'],
    properties: {
      unit: { type: 'string', minLength: 1, description: 'The unit (`etcd` means `etcd.service`).' },
      name: { type: 'string', pattern: '^[^/]+\\.conf$', description: 'The drop-in file name, ending in .conf (e.g. temp.conf).' },
      content: { type: 'string', description: 'The drop-in text.' },
      sections: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean', 'array'] } }, description: 'The drop-in as sections of settings; a list writes the key once per item.' },
      exec_start_append: { type: 'string', minLength: 1, description: "Words to append to the unit's effective ExecStart= (e.g. --force-new-cluster)." },
      unit_file: { type: 'string', description: 'Read ExecStart= from this file instead of the unit file systemd reports.' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'present: the drop-in file holds these settings; absent: it is removed.' },
      daemon_reload: { type: 'boolean', default: true, description: 'Run systemctl daemon-reload when the drop-in changed.' },
      dir: { type: 'string', default: '/etc/systemd/system', description: 'Where drop-in folders live.' },
    },
  },
  reads: (args) => putReads(dropinPath(args)),
  async plan(args, ctx) {
    const path = dropinPath(args);
    const ways = (['content', 'sections', 'exec_start_append'] as const).filter((k) => args[k] !== undefined);
    if (args.state === 'present' && ways.length !== 1) throw new ModuleError(`state: present needs exactly one of content, sections, exec_start_append${ways.length ? ` (got ${ways.join(', ')})` : ''}`);
    if (args.state === 'absent' && ways.length) throw new ModuleError(`state: absent takes no ${ways.join(', ')}`);
    const current = await ctx.host.read(path);
    const before = current.exists ? (current.text ?? '') : null;
    let after: string | null = null;
    let execStart: string | undefined;
    if (args.state === 'present') {
      if (args.content !== undefined) after = args.content;
      else if (args.sections) after = renderSections(path, args.sections);
      else {
        const { unit, dropIns } = await unitSources(args, ctx, path);
        try {
          after = execStartDropIn(unit, dropIns, args.exec_start_append!);
        } catch (e) {
          throw new ModuleError(`${path}: ${(e as Error).message}`);
        }
        execStart = effectiveExecStart({ path, text: after })[0];
      }
    }
    // A symlink (or FIFO) at the drop-in's path is replaced by the file, as copy does by default.
    const changed = before !== after || (after !== null && (await replacesNonFile(ctx, path, false, current.exists)));
    return {
      changed,
      ...(changed ? { diff: [fileDiff(path, before ?? '', after ?? '')] } : {}),
      result: { path, state: args.state, ...(execStart ? { exec_start: execStart } : {}) },
      state: { path, after, execStart },
    };
  },
  async apply(args, ctx, plan) {
    const { path, after } = plan.state!;
    try {
      if (after === null) await ctx.host.remove(path);
      else {
        await ctx.host.run(['mkdir', '-p', '--', path.slice(0, path.lastIndexOf('/'))]);
        await ctx.host.write(path, after, { mode: 0o644 });
      }
    } catch (e) {
      if (e instanceof FileError) throw new ModuleError(e.message);
      throw e;
    }
    let reloaded = false;
    if (args.daemon_reload) {
      const r = await ctx.host.run(['systemctl', 'daemon-reload'], { allowFailure: true });
      if (r.rc !== 0) throw new ModuleError(`${path} changed, but systemctl daemon-reload failed: ${(r.stderr || r.stdout).trim()}`);
      reloaded = true;
    }
    return { changed: true, result: { ...plan.result, daemon_reloaded: reloaded } };
  },
});
